/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads WASM and data files from node_modules at run time: never bundle it.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
