//! A WAGI command in Rust (`wasm32-wasi`): statistics of the integers posted in the request body.
//!
//!   POST "3 -1 4\n1 5"        -> 200 {"count":5,"sum":12,"min":-1,"max":5}
//!   POST ...?format=text      -> 200 "count 5\nsum 12\nmin -1\nmax 5\n"
//!   a token that is not an integer -> 400 naming the line and the token
//!   GET                       -> 200 a usage text; other methods -> 405
//!
//! Numbers are signed 64-bit integers separated by ASCII whitespace or commas; the sum is kept
//! in 128 bits so it cannot overflow.
use std::env;
use std::io::{self, Read, Write};

fn respond(status: &str, content_type: &str, body: &str, extra: &str) {
    let mut out = io::stdout().lock();
    let _ = write!(out, "Status: {}\nContent-Type: {}\n{}\n{}", status, content_type, extra, body);
    let _ = out.flush();
}

fn bad_request(why: &str) {
    respond("400 Bad Request", "text/plain; charset=utf-8", &format!("{}\n", why), "");
}

enum Format {
    Json,
    Text,
}

fn format_from_query(query: &str) -> Result<Format, String> {
    let mut format = Format::Json;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "format" {
            format = match value {
                "json" => Format::Json,
                "text" => Format::Text,
                other => return Err(format!("format must be json or text, not {:?}", other)),
            };
        }
    }
    Ok(format)
}

fn stats(format: Format) {
    let mut body = Vec::new();
    if let Err(e) = io::stdin().read_to_end(&mut body) {
        return respond("500 Internal Server Error", "text/plain", &format!("stdin: {}\n", e), "");
    }
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t,
        Err(_) => return bad_request("the body is not valid UTF-8"),
    };
    let (mut count, mut sum, mut min, mut max) = (0u64, 0i128, i64::MAX, i64::MIN);
    for (index, line) in text.split('\n').enumerate() {
        for token in line.split(|c: char| c.is_ascii_whitespace() || c == ',').filter(|t| !t.is_empty()) {
            let n: i64 = match token.parse() {
                Ok(n) => n,
                Err(_) => {
                    let shown: String = token.chars().take(40).collect();
                    return bad_request(&format!("line {}: {:?} is not a 64-bit integer", index + 1, shown));
                }
            };
            count += 1;
            sum += n as i128;
            min = min.min(n);
            max = max.max(n);
        }
    }
    let (min, max) = if count == 0 {
        ("null".to_string(), "null".to_string())
    } else {
        (min.to_string(), max.to_string())
    };
    match format {
        Format::Json => respond(
            "200 OK",
            "application/json",
            &format!("{{\"count\":{},\"sum\":{},\"min\":{},\"max\":{}}}", count, sum, min, max),
            "",
        ),
        Format::Text => respond(
            "200 OK",
            "text/plain; charset=utf-8",
            &format!("count {}\nsum {}\nmin {}\nmax {}\n", count, sum, min, max),
            "",
        ),
    }
}

fn main() {
    let method = env::var("REQUEST_METHOD").unwrap_or_default();
    let format = match format_from_query(&env::var("QUERY_STRING").unwrap_or_default()) {
        Ok(f) => f,
        Err(why) => return bad_request(&why),
    };
    match method.as_str() {
        "POST" => stats(format),
        "GET" | "HEAD" => respond(
            "200 OK",
            "text/plain; charset=utf-8",
            "POST integers separated by spaces, commas or newlines; ?format=json|text\n",
            "",
        ),
        _ => respond(
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "use POST (or GET for this help)\n",
            "Allow: GET, HEAD, POST\n",
        ),
    }
}
