/**
 * The plan file reader (lib/tools/terraform-plan-file.ts, D126) on hand-built plan files: Terraform's
 * `tfplan` message inside a zip archive. The Terraform layer (plan-file.test.ts) compares it with
 * `terraform show -json` on real plans.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import {
  decodeMsgpack,
  decodePlanChanges,
  planFileAfter,
  planFileChanges,
  planFileVariables,
  UNKNOWN,
  zipEntry,
} from "../../lib/tools/terraform-plan-file";
import { tempDir } from "../helpers/synth";

const varint = (n: number): Buffer => {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
};
const bytesField = (tag: number, data: Buffer | string) => {
  const b = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([varint(tag * 8 + 2), varint(b.length), b]);
};
const varintField = (tag: number, n: number) => Buffer.concat([varint(tag * 8), varint(n)]);

/** A ResourceInstanceChange: addr 13, prev_run_addr 14, deposed_key 7, change 9 { action 1, values 2 }. */
function change(addr: string, action: number, extra: { prev?: string; deposed?: string } = {}): Buffer {
  return bytesField(
    3,
    Buffer.concat([
      bytesField(8, 'provider["registry.terraform.io/hashicorp/aws"]'),
      bytesField(
        9,
        Buffer.concat([...(action ? [varintField(1, action)] : []), bytesField(2, bytesField(1, Buffer.from([0xc0])))]),
      ),
      bytesField(13, addr),
      ...(extra.prev ? [bytesField(14, extra.prev)] : []),
      ...(extra.deposed ? [bytesField(7, extra.deposed)] : []),
    ]),
  );
}

/** A plan message with the fields Terraform writes around the changes (version, variables, outputs, a fixed64). */
function plan(...changes: Buffer[]): Buffer {
  return Buffer.concat([
    varintField(1, 3),
    bytesField(2, bytesField(1, "region")),
    ...changes,
    bytesField(14, "1.11.4"),
    Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8]),
  ]);
}

/** A zip archive of `entries` (deflated or stored), as Terraform writes a plan file. */
function zip(entries: Record<string, Buffer>, deflate = true): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const body = deflate ? zlib.deflateRawSync(data) : data;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(deflate ? 8 : 0, 10);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), body);
    central.push(cd, Buffer.from(name));
    offset += 30 + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

describe("plan file reader", () => {
  test("maps each action of Terraform's plan format to the actions terraform show -json prints", () => {
    const actions = [0, 1, 2, 3, 5, 6, 7, 8, 9].map(
      (a, i) => decodePlanChanges(plan(change(`aws_s3_bucket.b${i}`, a)))[0].actions,
    );
    expect(actions).toEqual([
      ["no-op"],
      ["create"],
      ["read"],
      ["update"],
      ["delete"],
      ["delete", "create"],
      ["create", "delete"],
      ["forget"],
      ["create", "forget"],
    ]);
  });

  test("reports every change sorted by address, as terraform show -json does", () => {
    const changes = decodePlanChanges(
      plan(
        change("module.z.aws_vpc.this", 1),
        change('module.a.aws_subnet.x["b"]', 3),
        change('module.a.aws_subnet.x["a"]', 5),
      ),
    );
    expect(changes.map((c) => c.address)).toEqual([
      'module.a.aws_subnet.x["a"]',
      'module.a.aws_subnet.x["b"]',
      "module.z.aws_vpc.this",
    ]);
  });

  test("leaves out the deletes Terraform plans for data sources, and keeps their reads and managed deletes", () => {
    const changes = decodePlanChanges(
      plan(
        change("data.aws_region.current", 5),
        change("module.m.data.aws_caller_identity.me", 5),
        change("module.m.data.aws_iam_policy_document.p", 2),
        change("module.data.aws_vpc.this", 5),
      ),
    );
    expect(changes.map((c) => [c.address, c.actions.join()])).toEqual([
      ["module.data.aws_vpc.this", "delete"],
      ["module.m.data.aws_iam_policy_document.p", "read"],
    ]);
  });

  test("carries a moved instance's previous address and a deposed object's key", () => {
    const [moved, deposed] = decodePlanChanges(
      plan(change("aws_vpc.this", 0, { prev: "aws_vpc.main" }), change("aws_vpc.zz", 5, { deposed: "00000001" })),
    );
    expect(moved).toEqual({ address: "aws_vpc.this", actions: ["no-op"], previousAddress: "aws_vpc.main" });
    expect(deposed).toEqual({ address: "aws_vpc.zz", actions: ["delete"], deposed: "00000001" });
  });

  test("reads the tfplan entry of a plan file, deflated or stored", () => {
    const dir = tempDir("planfile");
    const message = plan(change("aws_vpc.this", 1));
    for (const deflate of [true, false]) {
      const file = path.join(dir, `tfplan-${deflate}`);
      fs.writeFileSync(
        file,
        zip({ tfstate: Buffer.from("{}"), tfplan: message, "tfconfig/m-/main.tf.json": Buffer.from("{}") }, deflate),
      );
      expect(planFileChanges(file)).toEqual([{ address: "aws_vpc.this", actions: ["create"] }]);
    }
  });

  test("a file that is not a plan file fails, naming what is missing", () => {
    expect(() => zipEntry(Buffer.from("not a zip at all, just some text that is long enough"), "tfplan")).toThrow(
      "not a zip archive",
    );
    expect(() => zipEntry(zip({ tfstate: Buffer.from("{}") }), "tfplan")).toThrow("zip archive has no entry tfplan");
    expect(() => decodePlanChanges(Buffer.from([0x1a, 0x05, 0x6a]))).toThrow("truncated protocol-buffers field");
  });

  test("decodes plan values: maps, arrays, strings, integers, floats, booleans, null, and unknown (extension 0 or 12) as UNKNOWN", () => {
    // {"a": [1, -3, 300], "b": "x", "c": 1.5, "d": true, "e": nil, "f": unknown, "g": refined unknown}
    const packed = Buffer.from([
      0x87, 0xa1, 0x61, 0x93, 0x01, 0xfd, 0xcd, 0x01, 0x2c, 0xa1, 0x62, 0xa1, 0x78, 0xa1, 0x63, 0xcb, 0x3f, 0xf8, 0, 0,
      0, 0, 0, 0, 0xa1, 0x64, 0xc3, 0xa1, 0x65, 0xc0, 0xa1, 0x66, 0xd4, 0x00, 0x00, 0xa1, 0x67, 0xc7, 0x02, 0x0c, 0x81,
      0x01,
    ]);
    expect(decodeMsgpack(packed)).toEqual({
      a: [1, -3, 300],
      b: "x",
      c: 1.5,
      d: true,
      e: null,
      f: UNKNOWN,
      g: UNKNOWN,
    });
  });

  test("a plan value with another extension or trailing bytes fails", () => {
    expect(() => decodeMsgpack(Buffer.from([0xd4, 0x05, 0x00]))).toThrow("unexpected msgpack extension 5");
    expect(() => decodeMsgpack(Buffer.from([0x01, 0x02]))).toThrow("trailing bytes");
  });

  test("reads the root variables (written as [type, value] pairs) and a resource's planned values", () => {
    const dyn = (packed: number[]) => bytesField(1, Buffer.from(packed));
    // variables: image_tag = ["string", "3.0.0"]; resource: aws_vpc.this created with {"cidr_block": "10.0.0.0/16", "id": unknown}
    const variable = bytesField(
      2,
      Buffer.concat([
        bytesField(1, "image_tag"),
        bytesField(2, dyn([0x92, 0xa8, ...Buffer.from('"string"'), 0xa5, ...Buffer.from("3.0.0")])),
      ]),
    );
    const after = [
      0x82,
      0xaa,
      ...Buffer.from("cidr_block"),
      0xab,
      ...Buffer.from("10.0.0.0/16"),
      0xa2,
      ...Buffer.from("id"),
      0xd4,
      0x00,
      0x00,
    ];
    const created = bytesField(
      3,
      Buffer.concat([
        bytesField(9, Buffer.concat([varintField(1, 1), bytesField(2, dyn(after))])),
        bytesField(13, "aws_vpc.this"),
      ]),
    );
    const deleted = change("aws_vpc.old", 5);
    const file = path.join(tempDir("planfile"), "tfplan");
    fs.writeFileSync(file, zip({ tfplan: Buffer.concat([varintField(1, 3), variable, created, deleted]) }));
    expect(planFileVariables(file)).toEqual({ image_tag: "3.0.0" });
    expect(planFileAfter(file, "aws_vpc.this")).toEqual({ cidr_block: "10.0.0.0/16", id: UNKNOWN });
    expect(planFileAfter(file, "aws_vpc.old")).toBeUndefined();
    expect(planFileAfter(file, "aws_vpc.absent")).toBeUndefined();
  });
});
