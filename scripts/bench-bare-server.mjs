// The baseline of npm run bench:heartbeats: a bare Node HTTP server that reads the body and answers
// 204, in its own process like the catalog, so the load generator does not share its thread.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = 204;
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
