// Drives the built inbox-mcp binary over stdio with --demo through the MCP Inspector CLI
// (@modelcontextprotocol/inspector --cli), the way a person checking a server would, and checks
// what comes back, not just exit codes. Usage: node inspector.mjs PATH_TO_INBOX_MCP [FLAGS…]
// (FLAGS go to the server after --demo, e.g. --api-version v1).
//
// Every read-only tool the server lists must have a call below: a new read tool without one
// fails this script, so the Inspector keeps covering the whole read surface.
import { execFileSync } from "node:child_process";
import { resolve, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.argv[2] ?? "../inbox-mcp");
const serverFlags = process.argv.slice(3);
const inspector = join(here, "node_modules", ".bin", "inspector");

let calls = 0;
function run(args, { expectExit = 0 } = {}) {
  calls++;
  let out = "";
  let code = 0;
  try {
    out = execFileSync(inspector, ["--cli", ...args, "--format", "json", "--", bin, "--demo", "--log-level", "warn", ...serverFlags], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } catch (e) {
    code = e.status ?? -1;
    out = e.stdout ?? "";
    if (code !== expectExit) {
      throw new Error(`inspector ${args.join(" ")} exited ${code}:\n${out}\n${e.stderr ?? ""}`);
    }
  }
  assert.equal(code, expectExit, `inspector ${args.join(" ")} exit code`);
  const line = out.trim().split("\n").filter(Boolean).pop() ?? "";
  let doc;
  try {
    doc = JSON.parse(line);
  } catch {
    throw new Error(`inspector ${args.join(" ")} printed no JSON line:\n${out}`);
  }
  return doc.result ?? doc;
}

function callTool(name, args) {
  const res = run(["--method", "tools/call", "--tool-name", name, "--tool-args-json", JSON.stringify(args)]);
  assert.ok(!res.isError, `${name} returned an error: ${JSON.stringify(res.content)}`);
  assert.ok(res.structuredContent, `${name} has no structured content`);
  const text = (res.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
  assert.ok(text.length > 0, `${name} has no text rendering`);
  return { data: res.structuredContent, text };
}

// 1. tools/list --strict: every schema portable across clients (exit 6 otherwise).
const list = run(["--method", "tools/list", "--strict"]);
const tools = list.tools;
assert.ok(Array.isArray(tools) && tools.length >= 7, "tools/list returned too few tools");
for (const t of tools) {
  for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
    assert.equal(typeof t.annotations?.[hint], "boolean", `${t.name}: ${hint} not set`);
  }
  assert.ok(t.description?.length > 10, `${t.name}: description missing`);
  assert.equal(t.inputSchema?.type, "object", `${t.name}: input schema is not an object`);
}
console.log(`inspector: tools/list --strict ok (${tools.length} tools)`);

// 2. Each read tool with realistic arguments, chained the way an assistant would use them.
const covered = new Set();
const checks = {
  get_directory: () => {
    const { data } = callTool("get_directory", {});
    assert.ok(data.tags?.length > 0 && data.statuses?.length > 0, "directory lacks tags or statuses");
    assert.ok(data.members?.length > 0 && data.accounts?.length > 0, "directory lacks members or accounts");
    return data;
  },
  list_threads: () => {
    const { data, text } = callTool("list_threads", { inbox: "no-reply", limit: 5 });
    assert.equal(data.threads.length, 5, "no-reply listing should have 5 rows");
    for (const row of data.threads) {
      assert.match(row.id, /^[0-9a-z]{24}$/, "thread id");
      assert.equal(row.last?.from, "prospect", "no-reply rows end with a prospect message");
      assert.ok(row.waiting, "no-reply rows say how long the prospect waits");
    }
    assert.equal(data.has_more, true, "the demo no-reply inbox has more than 5 threads");
    assert.match(text, /written by the prospect/, "prospect text is labelled as data");
    return data;
  },
};
const dir = checks.get_directory(); covered.add("get_directory");
const threads = checks.list_threads(); covered.add("list_threads");
const first = threads.threads[0];

const thread = callTool("get_thread", { thread_id: first.id }).data; covered.add("get_thread");
assert.equal(thread.id ?? thread.thread?.id, first.id, "get_thread returns the thread asked for");

const msgs = callTool("read_messages", { thread_id: first.id, limit: 200 }).data; covered.add("read_messages");
assert.ok(msgs.messages.length > 0, "read_messages returned no messages");
const times = msgs.messages.map((m) => m.at);
assert.deepEqual([...times].sort(), times, "messages are chronological");
assert.ok(msgs.messages.some((m) => m.from === "prospect"), "a prospect message is present");

const look = callTool("lookup_thread", { who: "@" + first.username }).data; covered.add("lookup_thread");
assert.ok(JSON.stringify(look).includes(first.id), "lookup_thread by @username finds the thread");

// Read tools added later are called here with realistic arguments.
const extra = {
  triage_digest: () => {
    const { data } = callTool("triage_digest", { limit: 10 });
    assert.ok(JSON.stringify(data).includes("waiting") || JSON.stringify(data).includes("wait"), "digest has wait times");
  },
  search_messages: () => {
    const { data, text } = callTool("search_messages", { words: ["pricing"] });
    assert.match(text, /searched/i, "search says what it searched");
    assert.ok(data, "search returned data");
  },
};
for (const t of tools) {
  if (!t.annotations.readOnlyHint || covered.has(t.name)) continue;
  assert.ok(extra[t.name], `read tool ${t.name} has no Inspector check: add one to e2e/inspector.mjs`);
  extra[t.name]();
  covered.add(t.name);
}
console.log(`inspector: read tools ok (${[...covered].join(", ")})`);

// 3. Resources: a transcript and a prospect profile.
const templates = run(["--method", "resources/templates/list"]).resourceTemplates.map((t) => t.uriTemplate);
assert.ok(templates.includes("inbox://threads/{threadId}/transcript"), "transcript template listed");
assert.ok(templates.includes("inbox://prospects/{prospectId}"), "prospect template listed");
const transcript = run(["--method", "resources/read", "--uri", `inbox://threads/${first.id}/transcript`]).contents[0];
assert.match(transcript.text, new RegExp(first.username), "transcript names the prospect");
assert.ok(transcript.text.split("\n").length >= msgs.messages.length, "transcript holds every message");
const prospect = run(["--method", "resources/read", "--uri", `inbox://prospects/${first.prospect_id}`]).contents[0];
assert.match(prospect.text, new RegExp(first.username), "prospect resource names the prospect");
const statics = run(["--method", "resources/list"]).resources.map((r) => r.uri);
assert.ok(statics.length >= 4, "directory resources listed");
console.log("inspector: transcript, prospect and directory resources ok");

// 4. Every prompt, with arguments.
const tag = dir.tags[0].name ?? dir.tags[0];
const promptArgs = {
  summarize_no_reply: ["max=10"],
  draft_reply: [`to=${first.id}`, "goal=book a demo", "tone=friendly"],
  bulk_tag: [`tag=${tag}`, "criterion=asked about pricing this week"],
};
const prompts = run(["--method", "prompts/list"]).prompts;
for (const p of prompts) {
  const args = promptArgs[p.name];
  assert.ok(args, `prompt ${p.name} has no Inspector check: add one to e2e/inspector.mjs`);
  const got = run(["--method", "prompts/get", "--prompt-name", p.name, "--prompt-args", ...args]);
  const text = got.messages.map((m) => m.content?.text ?? "").join("\n");
  assert.ok(text.length > 50, `prompt ${p.name} is empty`);
  const toolNames = tools.map((t) => t.name);
  assert.ok(toolNames.some((n) => text.includes(n)), `prompt ${p.name} names none of the tools`);
}
console.log(`inspector: prompts ok (${prompts.map((p) => p.name).join(", ")})`);

// 5. The API version the server speaks: the demo's v2 has LinkedIn threads and read state;
// v1 has neither, and says that unread needs v2.
const v1 = serverFlags.join(" ").includes("--api-version v1");
const all = callTool("list_threads", { limit: 500 }).data.threads;
assert.equal(all.some((r) => r.platform === "linkedin"), !v1, `LinkedIn threads listed on ${v1 ? "v1" : "v2"}`);
if (v1) {
  run(["--method", "tools/call", "--tool-name", "list_threads", "--tool-args-json", '{"unread":true}'], { expectExit: 5 });
} else {
  assert.ok(callTool("list_threads", { unread: true, limit: 500 }).data.threads.every((r) => r.unread), "unread rows");
}
console.log(`inspector: Inbox API ${v1 ? "v1" : "v2"} as asked`);

// 6. A bad call is an error result the model can read (exit 5 = tool error).
run(["--method", "tools/call", "--tool-name", "get_thread", "--tool-args-json", '{"thread_id":"zzzzzzzzzzzzzzzzzzzzzzzz"}'], { expectExit: 5 });
console.log(`inspector: all checks passed (${calls} Inspector runs)`);
