package dev.cachet.demo.internal;

/** The demo's page layout and HTML escaping (no template engine: a few pages of plain HTML). */
final class Html {
    private Html() {
    }

    static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
            header{background:#1d2330;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
            header a{color:#cfd8ff;text-decoration:none}header b{font-size:18px;color:#fff}
            main{max-width:1100px;margin:0 auto;padding:18px 24px}
            h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:22px 0 8px}
            table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0001}
            th,td{padding:5px 8px;border-bottom:1px solid #eceef4;text-align:left;font-size:14px}
            th{background:#eef1f8}th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
            .badge{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600;font-size:13px}
            .computed{background:#fde2e1;color:#9b1c1c}.cached{background:#dcfce7;color:#166534}.stale{background:#fef3c7;color:#92400e}
            .kind{background:#e0e7ff;color:#3730a3}.muted{color:#6b7280}.card{background:#fff;padding:14px 18px;margin:12px 0;box-shadow:0 1px 2px #0001}
            .pager a,.pager b{margin-right:8px}button{font:inherit;padding:4px 12px}
            .charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}.charts .card{margin:0}
            svg text{font:12px system-ui,sans-serif;fill:#374151}
            """;

    static String page(String title, String body) {
        return "<!doctype html><html lang=en><head><meta charset=utf-8><title>" + esc(title) + " · cachet demo</title>"
                + "<meta name=viewport content='width=device-width,initial-scale=1'><style>" + CSS + "</style></head><body>"
                + "<header><b>linkrdr</b><span class=muted>a cachet demo</span><a href='/'>Users</a>"
                + "<a href='/popular'>Popular</a><a href='/stats'>Stats</a></header><main>" + body + "</main></body></html>";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format("%,.0f ms", millis) : String.format("%.2f ms", millis);
    }
}
