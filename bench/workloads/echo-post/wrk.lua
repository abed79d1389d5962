-- wrk script of the echo-post workload: every request is a POST of the same 4096-byte body,
-- "abcdefghijklmnopqrstuvwxyz" repeated (the correctness probe sends the same bytes).
wrk.method = "POST"
wrk.body = string.rep("abcdefghijklmnopqrstuvwxyz", 158):sub(1, 4096)
wrk.headers["Content-Type"] = "application/octet-stream"
