// What Debian's nginx 1.22 answers for bench/support/nginx.ts's static file (`curl -sD - <url>`), with its body:
// the response the micro-benchmarks parse and deliver.
export const NGINX_STATIC_RESPONSE =
  "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 06 Dec 2026 23:37:20 GMT\r\nContent-Type: text/html\r\n" +
  'Content-Length: 644\r\nLast-Modified: Sun, 06 Dec 2026 23:35:28 GMT\r\nConnection: keep-alive\r\nETag: "6b15f140-284"\r\n' +
  "Accept-Ranges: bytes\r\n\r\n" +
  "x".repeat(644);
