import { defineConfig } from "vitest/config";

// Unit tests for the pure logic of the widgets (protocol, diff, layout); no DOM needed.
export default defineConfig({
  test: {
    include: ["js/**/*.test.ts"],
    environment: "node",
  },
});
