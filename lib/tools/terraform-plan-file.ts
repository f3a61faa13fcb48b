/**
 * Reads which resource instances a saved Terraform plan changes, and how, straight from the plan file
 * (docs/decisions.md D126) — what `terraform show -json <planfile>` reports as `resource_changes[]
 * .address / .change.actions`, without starting Terraform and the ~700 MB provider to render it.
 *
 * A saved plan is a zip archive whose `tfplan` entry is Terraform's `tfplan.Plan` protocol-buffers
 * message. Only these fields are read (tags of Terraform 1.x's planfile.proto, stable since 1.0):
 *   Plan.resource_changes = 3 (repeated ResourceInstanceChange)
 *   ResourceInstanceChange.addr = 13, .prev_run_addr = 14, .deposed_key = 7, .change = 9
 *   Change.action = 1 (NOOP 0, CREATE 1, READ 2, UPDATE 3, DELETE 5, DELETE_THEN_CREATE 6,
 *                      CREATE_THEN_DELETE 7, FORGET 8, CREATE_THEN_FORGET 9)
 * and reported the way Terraform's JSON plan renders them: actions as `show -json` spells them, the
 * deletes Terraform plans for data sources left out (an implementation detail `show -json` hides),
 * sorted by address. A Terraform-layer test compares the two on real plans.
 */
import * as fs from "fs";
import * as zlib from "zlib";

export interface PlanFileChange {
  readonly address: string;
  /** As in `terraform show -json`: ["create"], ["delete", "create"], ["no-op"] … */
  readonly actions: string[];
  /** The address in the previous run's state, when a `moved` block changed it. */
  readonly previousAddress?: string;
  /** Set for a change to a deposed object. */
  readonly deposed?: string;
}

const ACTIONS: Record<number, string[]> = {
  0: ["no-op"],
  1: ["create"],
  2: ["read"],
  3: ["update"],
  5: ["delete"],
  6: ["delete", "create"],
  7: ["create", "delete"],
  8: ["forget"],
  9: ["create", "forget"],
};

/** The uncompressed bytes of one entry of a zip archive (stored or deflated), found through the central directory. */
export function zipEntry(archive: Buffer, name: string): Buffer {
  // End of central directory record: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i--) {
    if (archive.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip archive (no end of central directory)");
  const entries = archive.readUInt16LE(eocd + 10);
  let p = archive.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (archive.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = archive.readUInt16LE(p + 10);
    const compressed = archive.readUInt32LE(p + 20);
    const nameLength = archive.readUInt16LE(p + 28);
    const extraLength = archive.readUInt16LE(p + 30);
    const commentLength = archive.readUInt16LE(p + 32);
    const localHeader = archive.readUInt32LE(p + 42);
    const entryName = archive.toString("utf8", p + 46, p + 46 + nameLength);
    if (entryName === name) {
      const start = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
      const data = archive.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`zip entry ${name}: unsupported compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip archive has no entry ${name}`);
}

interface Field {
  readonly tag: number;
  readonly varint?: number;
  readonly bytes?: Buffer;
}

/** The top-level fields of a protocol-buffers message (varints and length-delimited fields; fixed-width ones skipped). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let p = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (p >= buf.length) throw new Error("truncated protocol-buffers varint");
      const b = buf[p++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  };
  while (p < buf.length) {
    const key = varint();
    const tag = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push({ tag, varint: varint() });
    else if (wire === 2) {
      const length = varint();
      if (p + length > buf.length) throw new Error("truncated protocol-buffers field");
      out.push({ tag, bytes: buf.subarray(p, p + length) });
      p += length;
    } else if (wire === 1) p += 8;
    else if (wire === 5) p += 4;
    else throw new Error(`unsupported protocol-buffers wire type ${wire}`);
  }
  return out;
}

/** Every resource instance change recorded in the `tfplan` message, no-ops included. */
export function decodePlanChanges(tfplan: Buffer): PlanFileChange[] {
  const out: PlanFileChange[] = [];
  for (const f of fields(tfplan)) {
    if (f.tag !== 3 || !f.bytes) continue;
    let address = "";
    let previous = "";
    let deposed = "";
    let action = 0;
    for (const g of fields(f.bytes)) {
      if (g.tag === 13 && g.bytes) address = g.bytes.toString("utf8");
      else if (g.tag === 14 && g.bytes) previous = g.bytes.toString("utf8");
      else if (g.tag === 7 && g.bytes) deposed = g.bytes.toString("utf8");
      else if (g.tag === 9 && g.bytes) for (const h of fields(g.bytes)) if (h.tag === 1 && h.varint !== undefined) action = h.varint;
    }
    const actions = ACTIONS[action];
    if (!address || !actions) throw new Error(`unexpected resource change in plan file (address "${address}", action ${action})`);
    // Terraform plans deletes of data sources to clean up state; its JSON plan leaves them out.
    if (isDataSource(address) && action === 5) continue;
    out.push({ address, actions, ...(previous && previous !== address ? { previousAddress: previous } : {}), ...(deposed ? { deposed } : {}) });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : (a.deposed ?? "") < (b.deposed ?? "") ? -1 : 1));
}

/** `data.x.y` or `module.m.data.x.y` (with any instance keys). */
function isDataSource(address: string): boolean {
  const steps = address.replace(/\[("([^"\\]|\\.)*"|[^\]]*)\]/g, "").split(".");
  let i = 0;
  while (steps[i] === "module") i += 2;
  return steps[i] === "data";
}

/** The resource instance changes of a saved plan file (see decodePlanChanges). */
export function planFileChanges(planFile: string): PlanFileChange[] {
  return decodePlanChanges(zipEntry(fs.readFileSync(planFile), "tfplan"));
}
