// One user story, start to finish, through the official TypeScript SDK
// (@modelcontextprotocol/sdk) against the real inbox-mcp binary with --demo, over stdio and
// over streamable HTTP: find the no-reply threads, read one, send a reply, tag the prospect,
// and verify through the tools that each change happened.
// Usage: node story.mjs PATH_TO_INBOX_MCP
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const bin = resolve(process.argv[2] ?? "../inbox-mcp");

function newClient(elicited) {
  const client = new Client({ name: "inbox-mcp-story", version: "1.0.0" }, { capabilities: { elicitation: {} } });
  // The person approves the exact text shown to them, as a real assistant UI would ask.
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    elicited.push(req.params.message);
    return { action: "accept", content: { confirm: true } };
  });
  return client;
}

async function call(client, name, args) {
  const res = await client.callTool({ name, arguments: args });
  const text = (res.content ?? []).map((c) => c.text ?? "").join("\n");
  assert.ok(!res.isError, `${name} failed: ${text}`);
  assert.ok(res.structuredContent, `${name}: no structured content`);
  return { data: res.structuredContent, text };
}

async function story(client, label, elicited) {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  for (const t of ["list_threads", "read_messages", "send_reply", "update_prospect_context", "get_thread"]) {
    assert.ok(tools.includes(t), `${label}: tool ${t} missing`);
  }

  // 1. Find the threads where prospects wait on us.
  const { data: list } = await call(client, "list_threads", { inbox: "no-reply", limit: 20 });
  assert.ok(list.threads.length > 0, `${label}: no no-reply threads`);
  const thread = list.threads[0];

  // 2. Read it.
  const { data: before } = await call(client, "read_messages", { thread_id: thread.id });
  const n = before.messages.length;
  assert.equal(before.messages.at(-1).from, "prospect", `${label}: the prospect wrote last`);

  // 2b. Subscribe to its transcript: a URI of ours is accepted, a URI the server does not
  // serve is refused (subscriptions are bounded to the server's own resources).
  const transcript = `inbox://threads/${thread.id}/transcript`;
  await client.subscribeResource({ uri: transcript });
  await assert.rejects(client.subscribeResource({ uri: "test://watched-resource" }), `${label}: a foreign URI was subscribed`);
  await client.unsubscribeResource({ uri: transcript });

  // 3. Send a reply (confirmed by the person when the server asks).
  const text = `Thanks ${thread.name?.split(" ")[0] ?? ""}! Our pricing page has the details; happy to walk you through it. (${label} ${Date.now()})`;
  const { data: sent } = await call(client, "send_reply", { thread_id: thread.id, text });
  assert.equal(sent.outcome ?? sent.status, "sent", `${label}: reply outcome`);
  if (elicited.length > 0) {
    assert.ok(elicited.at(-1).includes(text), `${label}: the confirmation showed the exact text`);
  }

  // 4. Tag the prospect.
  const { data: dir } = await call(client, "get_directory", {});
  const tagNames = dir.tags.map((t) => t.name ?? t);
  const tag = tagNames.find((t) => !(thread.tags ?? []).includes(t));
  assert.ok(tag, `${label}: no tag to add`);
  await call(client, "update_prospect_context", { prospect: thread.prospect_id, add_tags: [tag] });

  // 5. Verify through the tools.
  const { data: after } = await call(client, "read_messages", { thread_id: thread.id });
  assert.equal(after.messages.length, n + 1, `${label}: exactly one new message`);
  assert.equal(after.messages.at(-1).text, text, `${label}: the new message is the reply`);
  assert.notEqual(after.messages.at(-1).from, "prospect", `${label}: the reply is ours`);
  const { data: got } = await call(client, "get_thread", { thread_id: thread.id });
  assert.ok(JSON.stringify(got).includes(tag), `${label}: the prospect now carries ${tag}`);
  const { data: noReply } = await call(client, "list_threads", { inbox: "no-reply", limit: 100 });
  assert.ok(!noReply.threads.some((t) => t.id === thread.id), `${label}: the thread left the no-reply view`);
  console.log(`story (${label}): found ${list.threads.length} no-reply threads, replied to ${thread.id}, tagged ${tag}; verified`);
}

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

// protocolErrors collects what the SDK reports as protocol violations: a line on stdout that is
// not JSON-RPC (a stray print in the server) reaches the client as an error here, while the
// session itself may carry on. Any such error fails the story.
function watchProtocol(client, label) {
  const errors = [];
  client.onerror = (e) => errors.push(e);
  return () => assert.deepEqual(errors.map(String), [], `${label}: the client saw protocol errors`);
}

async function overStdio() {
  const elicited = [];
  const client = newClient(elicited);
  const clean = watchProtocol(client, "stdio");
  await client.connect(new StdioClientTransport({ command: bin, args: ["--demo", "--log-level", "warn"], stderr: "pipe" }));
  try { await story(client, "stdio", elicited); } finally { await client.close(); }
  clean();
}

async function overHTTP() {
  const port = await freePort();
  const proc = spawn(bin, ["--demo", "--transport", "http", "--addr", `127.0.0.1:${port}`, "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"] });
  try {
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    for (let i = 0; ; i++) {
      try { await fetch(url, { method: "OPTIONS" }); break; } catch (e) {
        if (i > 100) throw new Error("inbox-mcp did not start listening");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const elicited = [];
    const client = newClient(elicited);
    const clean = watchProtocol(client, "http");
    await client.connect(new StreamableHTTPClientTransport(url));
    try { await story(client, "http", elicited); } finally { await client.close(); }
    clean();
  } finally {
    proc.kill("SIGTERM");
  }
}

await overStdio();
await overHTTP();
console.log("story: passed over stdio and HTTP");
