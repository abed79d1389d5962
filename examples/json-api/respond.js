export function json(value, status = 200, headers = {}) {
  return Response.json(value, { status, headers });
}

export function error(status, message) {
  return json({ error: message }, status);
}
