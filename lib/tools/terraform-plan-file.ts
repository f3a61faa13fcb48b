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
      else if (g.tag === 9 && g.bytes)
        for (const h of fields(g.bytes)) if (h.tag === 1 && h.varint !== undefined) action = h.varint;
    }
    const actions = ACTIONS[action];
    if (!address || !actions)
      throw new Error(`unexpected resource change in plan file (address "${address}", action ${action})`);
    // Terraform plans deletes of data sources to clean up state; its JSON plan leaves them out.
    if (isDataSource(address) && action === 5) continue;
    out.push({
      address,
      actions,
      ...(previous && previous !== address ? { previousAddress: previous } : {}),
      ...(deposed ? { deposed } : {}),
    });
  }
  return out.sort((a, b) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : (a.deposed ?? "") < (b.deposed ?? "") ? -1 : 1,
  );
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

/** An attribute value Terraform only knows after apply (msgpack extension 0 or 12 in a plan file). */
export const UNKNOWN = Symbol("unknown after apply");

/**
 * Decodes one msgpack value as Terraform writes values into a plan file (cty's msgpack encoding):
 * objects and maps as maps, lists, sets and tuples as arrays, numbers as integers, floats or (beyond
 * float64) decimal strings, an unknown value as extension 0, or 12 when refined (returned as UNKNOWN).
 */
export function decodeMsgpack(buf: Buffer): unknown {
  let p = 0;
  const take = (n: number) => {
    if (p + n > buf.length) throw new Error("truncated msgpack value");
    const s = buf.subarray(p, p + n);
    p += n;
    return s;
  };
  const str = (n: number) => take(n).toString("utf8");
  const arr = (n: number): unknown[] => Array.from({ length: n }, () => value());
  const map = (n: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = value();
      out[String(k)] = value();
    }
    return out;
  };
  const ext = (n: number): unknown => {
    const type = take(1).readInt8(0);
    take(n);
    // 0: unknown; 12: unknown with refinements (not null, a known prefix …).
    if (type !== 0 && type !== 12) throw new Error(`unexpected msgpack extension ${type} in a plan value`);
    return UNKNOWN;
  };
  const value = (): unknown => {
    const b = take(1)[0];
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xf0) === 0x80) return map(b & 0x0f);
    if ((b & 0xf0) === 0x90) return arr(b & 0x0f);
    if ((b & 0xe0) === 0xa0) return str(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return take(take(1).readUInt8(0));
      case 0xc5:
        return take(take(2).readUInt16BE(0));
      case 0xc6:
        return take(take(4).readUInt32BE(0));
      case 0xc7:
        return ext(take(1).readUInt8(0));
      case 0xc8:
        return ext(take(2).readUInt16BE(0));
      case 0xc9:
        return ext(take(4).readUInt32BE(0));
      case 0xca:
        return take(4).readFloatBE(0);
      case 0xcb:
        return take(8).readDoubleBE(0);
      case 0xcc:
        return take(1).readUInt8(0);
      case 0xcd:
        return take(2).readUInt16BE(0);
      case 0xce:
        return take(4).readUInt32BE(0);
      case 0xcf:
        return Number(take(8).readBigUInt64BE(0));
      case 0xd0:
        return take(1).readInt8(0);
      case 0xd1:
        return take(2).readInt16BE(0);
      case 0xd2:
        return take(4).readInt32BE(0);
      case 0xd3:
        return Number(take(8).readBigInt64BE(0));
      case 0xd4:
        return ext(1);
      case 0xd5:
        return ext(2);
      case 0xd6:
        return ext(4);
      case 0xd7:
        return ext(8);
      case 0xd8:
        return ext(16);
      case 0xd9:
        return str(take(1).readUInt8(0));
      case 0xda:
        return str(take(2).readUInt16BE(0));
      case 0xdb:
        return str(take(4).readUInt32BE(0));
      case 0xdc:
        return arr(take(2).readUInt16BE(0));
      case 0xdd:
        return arr(take(4).readUInt32BE(0));
      case 0xde:
        return map(take(2).readUInt16BE(0));
      case 0xdf:
        return map(take(4).readUInt32BE(0));
    }
    throw new Error(`unsupported msgpack byte 0x${b.toString(16)} in a plan value`);
  };
  const v = value();
  if (p !== buf.length) throw new Error("trailing bytes after a msgpack value");
  return v;
}

/** The `msgpack` bytes of a DynamicValue message. */
function dynamicValue(buf: Buffer): unknown {
  const packed = fields(buf).find((f) => f.tag === 1 && f.bytes)?.bytes;
  if (!packed) throw new Error("a plan value without msgpack bytes");
  return decodeMsgpack(packed);
}

/**
 * The root variables a saved plan was made with, as `terraform show -json` reports them in
 * `variables.<name>.value` (Plan.variables = 2: name → DynamicValue, each written with its type as
 * a `[type, value]` pair).
 */
export function planFileVariables(planFile: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(zipEntry(fs.readFileSync(planFile), "tfplan"))) {
    if (f.tag !== 2 || !f.bytes) continue;
    let name = "";
    let value: unknown;
    for (const g of fields(f.bytes)) {
      if (g.tag === 1 && g.bytes) name = g.bytes.toString("utf8");
      else if (g.tag === 2 && g.bytes) value = dynamicValue(g.bytes);
    }
    if (!Array.isArray(value) || value.length !== 2)
      throw new Error(`plan variable ${name}: expected a [type, value] pair`);
    out[name] = value[1];
  }
  return out;
}

/**
 * The planned (after) value of one resource instance in a saved plan — `resource_changes[].change.after`
 * of `terraform show -json` for its known attributes; an attribute only known after apply is UNKNOWN
 * (show -json leaves it out and sets it in `after_unknown`). Undefined when the plan has no change for
 * the address or deletes it. Attributes of type `dynamic` keep their `[type, value]` encoding.
 */
export function planFileAfter(planFile: string, address: string): Record<string, unknown> | undefined {
  return afterValues(planFile, (a) => a === address).get(address);
}

/** planFileAfter of every resource instance the plan creates or changes, from one read of the plan file. */
export function planFileAfterAll(planFile: string): Map<string, Record<string, unknown>> {
  return afterValues(planFile, () => true);
}

/** The after values of the wanted addresses (only those are decoded). */
function afterValues(planFile: string, wanted: (address: string) => boolean): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const seen = new Set<string>();
  for (const f of fields(zipEntry(fs.readFileSync(planFile), "tfplan"))) {
    if (f.tag !== 3 || !f.bytes) continue;
    const rc = fields(f.bytes);
    const address = rc.find((g) => g.tag === 13)?.bytes?.toString("utf8");
    if (address === undefined || !wanted(address) || rc.some((g) => g.tag === 7) || seen.has(address)) continue;
    seen.add(address);
    const change = fields(rc.find((g) => g.tag === 9)?.bytes ?? Buffer.alloc(0));
    const action = change.find((g) => g.tag === 1)?.varint ?? 0;
    const values = change.filter((g) => g.tag === 2 && g.bytes).map((g) => dynamicValue(g.bytes as Buffer));
    if (action !== 5 && values.length > 0) out.set(address, values[values.length - 1] as Record<string, unknown>);
  }
  return out;
}
