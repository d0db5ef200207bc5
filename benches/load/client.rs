//! The HTTP client the simulated participants share.

use std::time::Duration;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, COOKIE, SET_COOKIE};
use serde_json::Value;

use crate::record::Failure;

#[derive(Clone)]
pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
}

pub enum Payload<'a> {
    Form(&'a [(&'a str, String)]),
    Json(&'a Value),
}

pub struct Reply {
    pub body: Vec<u8>,
    pub session: Option<String>,
    pub encoding: Option<String>,
}

impl Reply {
    pub fn json(&self) -> Result<Value, Failure> {
        serde_json::from_slice(&self.body).map_err(|e| Failure::new("bad reply", e.to_string()))
    }
}

pub fn transport(e: reqwest::Error) -> Failure {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect error"
    } else {
        "transport error"
    };
    Failure::new(kind, e.to_string())
}

impl Http {
    pub fn new(addr: &str, timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(1024)
            .timeout(timeout)
            .build()
            .expect("HTTP client");
        Self {
            client,
            base: format!("http://{addr}"),
        }
    }

    pub async fn finish(&self, req: reqwest::RequestBuilder) -> Result<Reply, Failure> {
        let res = req.send().await.map_err(transport)?;
        let status = res.status().as_u16();
        let session = res.headers().get_all(SET_COOKIE).iter().find_map(|v| {
            let (pair, _) = v.to_str().ok()?.split_once(';')?;
            let (name, value) = pair.split_once('=')?;
            (name == "cuocthi_sid" && !value.is_empty()).then(|| value.to_string())
        });
        let encoding = res
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = res.bytes().await.map_err(transport)?.to_vec();
        if status != 200 {
            return Err(Failure::new(
                format!("HTTP {status}"),
                String::from_utf8_lossy(&body).to_string(),
            ));
        }
        Ok(Reply {
            body,
            session,
            encoding,
        })
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Result<Reply, Failure> {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header(COOKIE, format!("cuocthi_sid={t}"));
        }
        self.finish(req).await
    }

    pub async fn post(
        &self,
        path: &str,
        payload: Payload<'_>,
        token: Option<&str>,
        brotli: bool,
    ) -> Result<Reply, Failure> {
        self.finish(self.request(path, payload, token, brotli))
            .await
    }

    pub fn request(
        &self,
        path: &str,
        payload: Payload<'_>,
        token: Option<&str>,
        brotli: bool,
    ) -> reqwest::RequestBuilder {
        let mut req = self.client.post(format!("{}{path}", self.base));
        req = match payload {
            Payload::Form(fields) => req.form(fields),
            Payload::Json(v) => req.json(v),
        };
        if let Some(t) = token {
            req = req.header(COOKIE, format!("cuocthi_sid={t}"));
        }
        if brotli {
            req = req.header(ACCEPT_ENCODING, "br");
        }
        req
    }
}
