/**
 * A local STS endpoint that answers GetCallerIdentity with a chosen account, so the aws provider's account
 * guard (`allowed_account_ids`) runs offline exactly as against AWS: the provider asks STS who the credentials
 * are, then compares the account. It runs in its own process (the tests call Terraform synchronously).
 */
import { spawn, type ChildProcess } from "child_process";

const SERVER = `
const http = require("http");
const account = process.argv[1];
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/xml" });
    res.end('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      '<Arn>arn:aws:iam::' + account + ':user/operator</Arn><UserId>AIDAOPERATOR</UserId><Account>' + account + '</Account>' +
      '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>');
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

export interface FakeSts {
  readonly endpoint: string;
  stop(): void;
}

export function startFakeSts(account: string): Promise<FakeSts> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER, account], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (d: Buffer) =>
      resolve({ endpoint: `http://127.0.0.1:${String(d).trim()}`, stop: () => child.kill() }),
    );
  });
}
