import { expect, test } from "@playwright/test";

// The WASM is sent as the brotli file written once at startup (quality 11), not compressed
// again per request; a browser without brotli gets the gzip copy.
test("tệp WASM được gửi ở dạng nén sẵn (brotli, gzip)", async ({ request }) => {
  const size = async (encoding: string) => {
    const res = await request.get("/pkg/cuocthi.wasm", {
      headers: { "Accept-Encoding": encoding },
    });
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("no-cache");
    // The length on the wire (the body is handed over decompressed).
    const bytes = Number(res.headers()["content-length"]);
    return { encoding: res.headers()["content-encoding"] ?? "", bytes };
  };
  // Compression runs in the background at startup: wait for it.
  await expect.poll(async () => (await size("br")).encoding, { timeout: 30_000 }).toBe("br");
  const br = await size("br");
  const gz = await size("gzip");
  const raw = await size("identity");
  expect(gz.encoding).toBe("gzip");
  expect(raw.encoding).toBe("");
  expect(br.bytes).toBeLessThan(200 * 1024);
  expect(br.bytes).toBeLessThan(gz.bytes);
  expect(gz.bytes).toBeLessThan(raw.bytes);
});

test("trang có biểu tượng (favicon), không còn lỗi 404", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect((await ico.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  await page.goto("/");
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute("href");
  expect((await request.get(href ?? "")).status()).toBe(200);
});
