// The template frontend's openapi-ts settings (CONTRACT.md §10): axios client, types with
// field names preserved, one static service class per tag, methods named without the tag.
import { createClient } from "@hey-api/openapi-ts";
const [input, output] = process.argv.slice(2);
await createClient({
  input,
  output,
  plugins: [
    "@hey-api/client-axios",
    { name: "@hey-api/typescript", case: "preserve" },
    {
      name: "@hey-api/sdk",
      strategy: "byTags",
      methods: "static",
      containerName: "{{name}}Service",
      methodName: (name) => name.replace(/^[^-]*-/, ""),
    },
  ],
  logs: { level: "silent" },
});
