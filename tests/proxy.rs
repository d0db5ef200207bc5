//! The deploy guide, run: two real servers on one Postgres behind Debian's nginx, with the site
//! file the README gives (`scripts/deploy/nginx.conf`), only its ports, upstream servers and
//! certificate changed.

use std::path::Path;
use std::time::Duration;

use crate::helpers::{database_url, open_round_of, Backend};
use crate::operations::{session_set_cookie, start_binary, wait_ready};

const SITE: &str = include_str!("../scripts/deploy/nginx.conf");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut std::process::Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// nginx in the foreground with the README's site file, in front of the servers `upstreams`.
struct Nginx {
    child: std::process::Child,
    http: u16,
    https: u16,
}

impl Drop for Nginx {
    /// SIGTERM: the master stops its workers and exits (SIGKILL would leave the workers).
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_nginx(dir: &Path, upstreams: &[u16]) -> Nginx {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("nginx is not installed (scripts/setup.sh installs Debian's package)");
    std::fs::create_dir_all(dir).unwrap();
    run(std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=127.0.0.1", "-keyout"])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem")));
    let (http, https) = (free_port(), free_port());
    let servers: Vec<String> = upstreams
        .iter()
        .map(|p| format!("server 127.0.0.1:{p};"))
        .collect();
    let site = SITE
        .replace("server 127.0.0.1:3000;", &servers.join("\n    "))
        .replace("listen 80;", &format!("listen 127.0.0.1:{http};"))
        .replace("listen 443 ", &format!("listen 127.0.0.1:{https} "))
        .replace(
            "/etc/letsencrypt/live/cuocthi.example.gov.vn/fullchain.pem",
            &dir.join("cert.pem").display().to_string(),
        )
        .replace(
            "/etc/letsencrypt/live/cuocthi.example.gov.vn/privkey.pem",
            &dir.join("key.pem").display().to_string(),
        );
    assert!(
        site.contains(&servers.join("\n    "))
            && site.contains(&format!("listen 127.0.0.1:{https} ssl"))
            && site.contains("cert.pem"),
        "the site file changed shape; update this test with it:\n{site}"
    );
    std::fs::write(dir.join("site.conf"), site).unwrap();
    let d = dir.display();
    // What Debian's /etc/nginx/nginx.conf provides around a site, in a folder of the test's own.
    let main = format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log info;\nevents {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         include {d}/site.conf;\n}}\n"
    );
    let main = if is_root() {
        format!("user root;\n{main}")
    } else {
        main
    };
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let child = std::process::Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .args(["-g", "daemon off;"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
        .spawn()
        .unwrap();
    // Dropped (and so killed) if it never listens.
    let nginx = Nginx { child, http, https };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", https)).is_ok() {
            return nginx;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "nginx did not start: {}",
        std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default()
    );
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Reads the event stream until `count` board events have come, or panics after `within`.
async fn board_events(res: &mut reqwest::Response, count: usize, within: Duration) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    while text.matches("event: board").count() < count {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .unwrap_or_else(|_| panic!("{count} board events within {within:?}; got:\n{text}"))
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

/// A request's JSON answer.
async fn json(req: reqwest::RequestBuilder) -> serde_json::Value {
    req.send().await.unwrap().json().await.unwrap()
}

/// A counter or gauge of a server's `/metrics` (asked on its own port, from loopback).
async fn metric(port: u16, line_start: &str) -> f64 {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

/// Behind nginx as the README sets it up, two servers on one Postgres: HTTP moves to HTTPS,
/// forms pass the same-site check (the Host keeps its port), cuocthi sees the client's own
/// address and not one the client made up, answers saved through either server are all there
/// on a reload through either, a submission on one reaches the live boards of both through the
/// proxy, and an 8 MB import is not refused by the proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_two_servers_share_one_postgres() {
    let dir = std::env::temp_dir().join(format!("cuocthi-nginx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = database_url(Backend::Postgres).await;
    let env = [
        ("DATABASE_URL", database.as_str()),
        ("CUOCTHI_TRUST_PROXY", "1"),
        ("CUOCTHI_HTTPS", "1"),
    ];
    // One after the other: the first seeds the demo into the empty database.
    let (mut a, port_a) = start_binary(&env, &dir.with_extension("a.log"));
    wait_ready(port_a).await;
    let (mut b, port_b) = start_binary(&env, &dir.with_extension("b.log"));
    wait_ready(port_b).await;
    let nginx = start_nginx(&dir, &[port_a, port_b]);
    let site = format!("https://127.0.0.1:{}", nginx.https);
    // The client comes from another loopback address than nginx's own, as a person would.
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let plain = client
        .get(format!("http://127.0.0.1:{}/bang-xep-hang", nginx.http))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status().as_u16(), 301);
    assert_eq!(
        plain.headers()["location"],
        "https://127.0.0.1/bang-xep-hang"
    );
    let home = client.get(format!("{site}/")).send().await.unwrap();
    assert_eq!(home.status().as_u16(), 200);
    assert!(home.headers().contains_key("strict-transport-security"));

    let round = open_round_of(&json(client.post(format!("{site}/api/contest/overview"))).await);
    // Two viewers of the live board; nginx takes turns, so one is on each server.
    let events_route = "cuocthi_http_requests_total{route=\"/su-kien/bang-xep-hang/{round_id}\"";
    let mut viewers = Vec::new();
    for _ in 0..2 {
        let mut events = client
            .get(format!("{site}/su-kien/bang-xep-hang/{round}"))
            .send()
            .await
            .unwrap();
        assert_eq!(events.status().as_u16(), 200);
        board_events(&mut events, 1, Duration::from_secs(5)).await;
        viewers.push(events);
    }
    for port in [port_a, port_b] {
        assert_eq!(metric(port, events_route).await, 1.0, "a viewer on {port}");
    }

    // A registration from the browser's page: same site through the proxy, and recorded with
    // the client's address, not the one it put in its own X-Forwarded-For.
    let units = json(client.post(format!("{site}/api/units"))).await;
    let registered = client
        .post(format!("{site}/api/auth/register"))
        .header("origin", &site)
        .header("x-forwarded-for", "203.0.113.7")
        .form(&crate::helpers::registration(
            "Người Sau Proxy",
            "0917000501",
            units[0]["id"].as_i64().unwrap(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status().as_u16(), 200);
    let session = session_set_cookie(&registered);
    let cookie = session.split(';').next().unwrap().to_string();
    let pool = sqlx::PgPool::connect(&database).await.unwrap();
    let from: String =
        sqlx::query_scalar("SELECT registered_from FROM users WHERE phone = '0917000501'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(from, "127.0.0.2");

    let post = |path: &str| {
        client
            .post(format!("{site}{path}"))
            .header("origin", &site)
            .header("cookie", &cookie)
    };
    let started = post("/api/attempt/start")
        .form(&[("round_id", round.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status().as_u16(), 200);
    let attempt: i64 = started.json().await.unwrap();
    // Answers saved through the proxy land on both servers in turn; every reload, on either,
    // has every answer acknowledged before it.
    let saves = "cuocthi_saves_total ";
    let before = (metric(port_a, saves).await, metric(port_b, saves).await);
    let mut acked: Vec<Option<u64>> = vec![None; 6];
    for seq in 0..6u64 {
        let choice = seq % 4;
        let r = post("/api/attempt/save")
            .json(&serde_json::json!({ "attempt_id": attempt, "seq": seq, "choice": choice }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
        acked[seq as usize] = Some(choice);
        for _ in 0..2 {
            let view =
                json(post("/api/attempt/get").json(&serde_json::json!({ "attempt_id": attempt })))
                    .await;
            let answers: Vec<Option<u64>> = view["answers"]
                .as_array()
                .unwrap()
                .iter()
                .take(6)
                .map(|v| v.as_u64())
                .collect();
            assert_eq!(answers, acked, "a reload after save {seq}");
        }
    }
    let after = (metric(port_a, saves).await, metric(port_b, saves).await);
    assert!(
        after.0 > before.0 && after.1 > before.1,
        "saves on both servers: {before:?} -> {after:?}"
    );

    // The submission lands on one server; both viewers see the new board through the proxy.
    let submitted = post("/api/attempt/submit")
        .form(&[("attempt_id", attempt.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status().as_u16(), 200);
    for events in &mut viewers {
        let text = board_events(events, 1, Duration::from_secs(10)).await;
        assert!(text.contains("Người Sau Proxy"), "{text}");
    }

    // A bank import of several megabytes reaches cuocthi, which reads it all (and tells this
    // participant it is not theirs to import), rather than the proxy refusing it.
    let file = reqwest::multipart::Part::bytes(vec![b'x'; 3 << 20]).file_name("cau-hoi.csv");
    let big = post("/quan-tri/nhap-cau-hoi")
        .multipart(reqwest::multipart::Form::new().part("file", file))
        .send()
        .await
        .unwrap();
    let status = big.status().as_u16();
    let body = big.text().await.unwrap();
    assert!(
        (300..500).contains(&status) && status != 413 && !body.contains("nginx"),
        "{status}: {body}"
    );

    drop(nginx);
    for server in [&mut a, &mut b] {
        let _ = server.kill();
        let _ = server.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
