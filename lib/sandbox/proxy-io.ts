// Socket plumbing for the egress proxy, kept apart from its decisions.
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Tries each resolved address in turn, within one budget; never looks the name up again. */
export function connectTo(
  addresses: string[],
  port: number,
  timeoutMs: number,
  track: (s: net.Socket) => void,
): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, reject) => {
    const attempt = (i: number, lastError?: Error) => {
      const address = addresses[i];
      const remaining = deadline - Date.now();
      if (address === undefined || remaining <= 0) {
        reject(lastError ?? new Error("connect timed out"));
        return;
      }
      const socket = net.connect({ host: address, port, autoSelectFamily: false });
      track(socket);
      const timer = setTimeout(() => socket.destroy(new Error("connect timed out")), remaining);
      const onError = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        attempt(i + 1, error);
      };
      socket.once("error", onError);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.off("error", onError);
        // Until the caller wires the socket up, an error with no listener would crash the whole process.
        socket.on("error", () => socket.destroy());
        resolvePromise(socket);
      });
    };
    attempt(0);
  });
}

/** A response written straight to a CONNECT socket, which no longer has an http.ServerResponse. */
export function rawResponse(socket: net.Socket, status: number, message: string) {
  const body = `${message}\n`;
  const statusText = http.STATUS_CODES[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function plainResponse(res: http.ServerResponse, status: number, message: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
  res.end(`${message}\n`);
}

/** Drops hop-by-hop headers, those the Connection header names, and the client's proxy credentials. */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase()),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !named.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/** A socket file left by a crashed Foreman would make listen fail with EADDRINUSE; anything else is kept. */
export async function removeStaleSocket(socketPath: string): Promise<void> {
  try {
    const stat = await fs.lstat(socketPath);
    if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; refusing to replace it`);
    await fs.unlink(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
