import { expect, test } from "./fixtures";

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

// Pages without an island load no WASM and no script; pages with one load the package from
// a path named after its contents, cached for good (no revalidation on a slow link).
test("trang không có thành phần tương tác không tải WASM; tệp có phiên bản được lưu đệm lâu dài", async ({
  page,
  request,
}) => {
  const loaded: string[] = [];
  page.on("request", (r) => loaded.push(new URL(r.url()).pathname));
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  expect(loaded.filter((p) => p.endsWith(".wasm") || p.endsWith(".js"))).toEqual([]);
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  expect(css).toMatch(/^\/v\/[0-9a-f]{16}\/pkg\/cuocthi\.css$/);
  const cssReply = await request.get(css ?? "");
  expect(cssReply.status()).toBe(200);
  expect(cssReply.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  // The leaderboard has an island: its WASM comes from the same versioned path.
  const home = await (await request.get("/")).text();
  const contest = home.match(/href="(\/cuoc-thi\/[^"]+)"/)?.[1];
  const html = home + (contest ? await (await request.get(contest)).text() : "");
  const board = html.match(/href="(\/bang-xep-hang\/\d+)"/)?.[1];
  expect(board, "the home page links a leaderboard").toBeTruthy();
  loaded.length = 0;
  await page.goto(board ?? "/");
  await expect(page.locator("leptos-island").first()).toBeAttached();
  await expect
    .poll(() => loaded.filter((p) => p.endsWith(".wasm")))
    .toEqual([css?.replace("cuocthi.css", "cuocthi.wasm")]);
  const wasm = await request.get(css?.replace("cuocthi.css", "cuocthi.wasm") ?? "", {
    headers: { "Accept-Encoding": "br" },
  });
  expect(wasm.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(wasm.headers()["content-encoding"]).toBe("br");
});
