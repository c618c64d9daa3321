// The baseline: a Worker that reads the body and answers like the collector, doing nothing else.
export default {
  async fetch(request) {
    if (request.method === "POST") await request.text();
    return new Response('{"success":true}', { headers: { "content-type": "application/json" } });
  },
};
