// Inside the sandbox there is no network but loopback, and most tools only speak to a proxy over TCP.
// socat bridges 127.0.0.1:<port> to the egress proxy's bind-mounted Unix socket; the sandbox runner
// prepends this prelude to the command's bash script.

const DEFAULT_PORT = 3128;

/** The proxy variables every common tool reads (curl, git, npm, pip, Go); NO_PROXY must stay unset. */
export function proxyEnvironment(port = DEFAULT_PORT): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, ALL_PROXY: url };
}

/**
 * A bash prelude that starts socat, waits until the port accepts (or socat has died), and exports the proxy
 * variables. The wait polls every 10 ms for at most 2 s; it fails the command with exit 125 rather than let it
 * run with a proxy that is not there, which would surface as confusing "connection refused" errors.
 */
export function proxyBridgeScript(socketInSandbox: string, port = DEFAULT_PORT): string {
  // socat's address syntax treats ':' and ',' specially and the path is spliced into a shell script.
  if (!/^\/[\w./-]+$/.test(socketInSandbox)) throw new Error(`Unsafe socket path: ${socketInSandbox}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Bad port: ${port}`);
  const exports = Object.entries(proxyEnvironment(port))
    .map(([name, value]) => `export ${name}=${value}`)
    .join("\n");
  return `socat TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${socketInSandbox} </dev/null &
__foreman_socat=$!
for ((__foreman_i = 0; ; __foreman_i++)); do
  (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && break
  if ((__foreman_i >= 1000)) || ! kill -0 "$__foreman_socat" 2>/dev/null; then
    echo "foreman: the sandbox's network proxy did not start" >&2
    exit 125
  fi
  sleep 0.002
done
unset __foreman_i __foreman_socat NO_PROXY no_proxy
${exports}
`;
}
