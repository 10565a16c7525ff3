//! A fake kubelet for port-forward tests through the real API server: HTTPS on loopback with a
//! self-signed certificate (the test server does not verify kubelets), answering the API
//! server's `GET /portForward/<ns>/<pod>` WebSocket upgrade with `v4.channel.k8s.io`, and
//! carrying each WebSocket to a fresh TCP connection to a local backend (the Kiali stand-in).
//! It records the pods asked for, and can be told to refuse a pod's port (the error channel).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream as StdStream};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};

#[derive(Default)]
struct State {
    /// `ns/pod` of every upgrade, in order.
    seen: Mutex<Vec<String>>,
    /// Pods whose forwards answer on the error channel instead of connecting.
    refused: Mutex<HashSet<String>>,
}

pub struct FakeKubelet {
    pub port: u16,
    state: Arc<State>,
    _rt: tokio::runtime::Runtime,
}

impl FakeKubelet {
    /// Serves on 127.0.0.1, forwarding every stream to `backend`.
    pub fn start(backend: SocketAddr) -> FakeKubelet {
        meshdeck::kube::init_tls();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
        let mut config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let st = state.clone();
        rt.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let st = st.clone();
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        serve(tls, backend, st).await;
                    }
                });
            }
        });
        FakeKubelet {
            port,
            state,
            _rt: rt,
        }
    }

    /// `ns/pod` of every forward asked for so far.
    pub fn seen(&self) -> Vec<String> {
        self.state.seen.lock().unwrap().clone()
    }

    /// Forwards to `ns/pod` fail from now on, as when nothing listens in the pod.
    pub fn refuse(&self, pod: &str) {
        self.state.refused.lock().unwrap().insert(pod.to_string());
    }
}

// The handshake callback's error type is tungstenite's, large or not.
#[allow(clippy::result_large_err)]
async fn serve<S>(tls: S, backend: SocketAddr, state: Arc<State>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let path = Arc::new(Mutex::new(String::new()));
    let p = path.clone();
    let callback = move |req: &Request, mut resp: Response| -> Result<Response, ErrorResponse> {
        *p.lock().unwrap() = req.uri().to_string();
        // Go spells the header its own way; http's HeaderMap matches names case-insensitively.
        let offered = req
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !offered.contains("v4.channel.k8s.io") {
            let mut bad = ErrorResponse::new(Some("v4.channel.k8s.io required".into()));
            *bad.status_mut() = http::StatusCode::BAD_REQUEST;
            return Err(bad);
        }
        resp.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            http::HeaderValue::from_static("v4.channel.k8s.io"),
        );
        Ok(resp)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(tls, callback).await else {
        return;
    };
    let uri = path.lock().unwrap().clone();
    let (path, query) = uri.split_once('?').unwrap_or((&uri, ""));
    let pod = path
        .strip_prefix("/portForward/")
        .unwrap_or(path)
        .to_string();
    state.seen.lock().unwrap().push(pod.clone());
    // One port per stream (the API server passes it as ?port=N): the data and error channels
    // announce it.
    let port: u16 = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("port="))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let port = port.to_le_bytes();
    for ch in [0u8, 1] {
        if ws
            .send(Message::Binary(vec![ch, port[0], port[1]].into()))
            .await
            .is_err()
        {
            return;
        }
    }
    if state.refused.lock().unwrap().contains(&pod) {
        let mut msg = vec![1u8];
        msg.extend_from_slice(b"an error occurred forwarding 80 -> 80: connection refused");
        let _ = ws.send(Message::Binary(msg.into())).await;
        let _ = ws.close(None).await;
        return;
    }
    let Ok(upstream) = TcpStream::connect(backend).await else {
        let _ = ws.close(None).await;
        return;
    };
    let (mut up_read, mut up_write) = upstream.into_split();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Binary(data))) if data.first() == Some(&0) => {
                    if up_write.write_all(&data[1..]).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_) | Message::Text(_))) => {}
                _ => break,
            },
            n = up_read.read(&mut buf) => match n {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let mut frame = Vec::with_capacity(n + 1);
                    frame.push(0u8);
                    frame.extend_from_slice(&buf[..n]);
                    if ws.send(Message::Binary(frame.into())).await.is_err() {
                        break;
                    }
                }
            },
        }
    }
    let _ = ws.close(None).await;
}

/// The Kiali stand-in: HTTP/1.1 on 127.0.0.1, one request per connection. `/kiali/healthz`
/// answers with the status set by [`Backend::set_health`]; `/big` sends [`BIG`] bytes of a
/// known pattern; `/stream` a line every 100 ms for a minute; anything else a small page naming
/// the path.
pub struct Backend {
    pub addr: SocketAddr,
    health: Arc<AtomicU16>,
    pub requests: Arc<AtomicUsize>,
}

/// The size of `/big`.
pub const BIG: usize = 8 * 1024 * 1024;

/// The byte at offset `i` of `/big`.
pub fn big_byte(i: usize) -> u8 {
    (i % 251) as u8
}

impl Backend {
    pub fn start() -> Backend {
        let listener = StdListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let health = Arc::new(AtomicU16::new(200));
        let requests = Arc::new(AtomicUsize::new(0));
        let (h, r) = (health.clone(), requests.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (h, r) = (h.clone(), r.clone());
                std::thread::spawn(move || answer(conn, &h, &r));
            }
        });
        Backend {
            addr,
            health,
            requests,
        }
    }

    pub fn set_health(&self, status: u16) {
        self.health.store(status, Ordering::SeqCst);
    }
}

fn answer(conn: StdStream, health: &AtomicU16, requests: &AtomicUsize) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    // The rest of the head.
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => return,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let mut out = conn;
    if path == "/stream" {
        // A UI's event stream: a line every 100 ms for a minute.
        let _ = out.write_all(b"HTTP/1.1 200 X\r\nConnection: close\r\n\r\n");
        for i in 0..600 {
            if out.write_all(format!("event {i}\n").as_bytes()).is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        return;
    }
    let (status, body): (u16, Vec<u8>) = match path.as_str() {
        "/kiali/healthz" => (health.load(Ordering::SeqCst), b"health".to_vec()),
        "/big" => (200, (0..BIG).map(big_byte).collect()),
        other => (200, format!("kiali stand-in: {other}").into_bytes()),
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
    let _ = out.flush();
    // Drain what the client still sends, then close.
    let _ = out.shutdown(std::net::Shutdown::Write);
    let _ = reader.read(&mut [0u8; 16]);
}
