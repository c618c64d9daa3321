// A second baseline: reads the body and puts it on a queue, nothing else. The gap between the
// no-op Worker and this one is what the local queue simulator costs per request.
export default {
  async fetch(request, env) {
    if (request.method === "POST") await env.Q.send({ body: await request.text() }, { contentType: "json" });
    return new Response('{"success":true}', { headers: { "content-type": "application/json" } });
  },
};
