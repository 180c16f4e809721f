//! The Rust side of the hybrid architecture: a CPU-bound operation (text
//! statistics over a batch of texts) served by one ferroapi app over REST
//! (`POST /v1/analyze`, `GET /v1/reports/{report_id}`, in the OpenAPI document)
//! and over gRPC (`textstats.v1.TextStats`, from `proto/textstats.proto`) on the
//! same port, with gRPC health and reflection. Both doors validate with the
//! same rules and refuse in the same words: the REST 422 body is the gRPC
//! `INVALID_ARGUMENT` message.
//!
//! ```
//! let analysis = example_hybrid::analyze(&["To be, or not to be.".into()], 2);
//! assert_eq!(analysis.total_words, 6);
//! assert_eq!(analysis.reports[0].top_words[0].word, "be");
//! assert_eq!(analysis.reports[0].top_words[0].count, 2);
//! ```
#![forbid(unsafe_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use ferroapi::{get, post, App, HTTPException, Json, Path, State};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The generated gRPC code and the descriptor set (for reflection).
#[allow(missing_docs, clippy::all, missing_debug_implementations)]
pub mod pb {
    tonic::include_proto!("textstats.v1");
    /// The encoded `FileDescriptorSet` of textstats.proto.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("textstats_descriptor");
}

/// A batch of texts to analyze.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct AnalyzeRequest {
    /// The texts: 1 to 64, each at most 100,000 characters.
    #[garde(length(min = 1, max = 64), inner(length(chars, max = 100_000)))]
    pub texts: Vec<String>,
    /// How many most frequent words to list per text.
    #[serde(default = "default_top")]
    #[garde(range(min = 1, max = 20))]
    #[schemars(default = "default_top")]
    pub top: u32,
}

fn default_top() -> u32 {
    5
}

/// A word and how often it occurs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct WordCount {
    /// The word, lower-cased.
    pub word: String,
    /// Its occurrences.
    pub count: u64,
}

/// The statistics of one text.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct TextReport {
    /// Characters (Unicode code points).
    pub chars: u64,
    /// Words: maximal runs of alphanumeric characters, lower-cased.
    pub words: u64,
    /// Distinct words.
    pub unique_words: u64,
    /// The most frequent words, by count then alphabetically.
    pub top_words: Vec<WordCount>,
    /// SHA-256 of the text's UTF-8 bytes, hex.
    pub sha256: String,
}

/// The analysis of a batch.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Analysis {
    /// Its id: derived from the texts and `top`, so the same batch gets the same id.
    pub id: String,
    /// One report per text, in order.
    pub reports: Vec<TextReport>,
    /// Words over all texts.
    pub total_words: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn report(text: &str, top: usize) -> TextReport {
    let lower = text.to_lowercase();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    let mut words = 0;
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word).or_default() += 1;
        words += 1;
    }
    let mut ranked: Vec<(&str, u64)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    TextReport {
        chars: text.chars().count() as u64,
        words,
        unique_words: counts.len() as u64,
        top_words: ranked
            .into_iter()
            .take(top)
            .map(|(word, count)| WordCount {
                word: word.to_owned(),
                count,
            })
            .collect(),
        sha256: hex(&Sha256::digest(text.as_bytes())),
    }
}

/// The operation itself (CPU-bound; callers run it on the blocking pool).
pub fn analyze(texts: &[String], top: u32) -> Analysis {
    let reports: Vec<TextReport> = texts.iter().map(|t| report(t, top as usize)).collect();
    let mut id = Sha256::new();
    id.update(format!("{top}\n"));
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            id.update("\n");
        }
        id.update(&r.sha256);
    }
    Analysis {
        id: hex(&id.finalize())[..16].to_owned(),
        total_words: reports.iter().map(|r| r.words).sum(),
        reports,
    }
}

/// Analyses by id, and their ids oldest first.
type Kept = (HashMap<String, Analysis>, VecDeque<String>);

/// The last analyses, by id (at most [`Store::CAPACITY`]; the oldest go first).
#[derive(Debug, Clone, Default)]
pub struct Store {
    inner: Arc<Mutex<Kept>>,
}

impl Store {
    /// How many analyses are kept.
    pub const CAPACITY: usize = 1024;

    fn put(&self, analysis: &Analysis) {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(analysis.id.clone(), analysis.clone()).is_none() {
            order.push_back(analysis.id.clone());
            if order.len() > Self::CAPACITY {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }

    fn get(&self, id: &str) -> Option<Analysis> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.get(id).cloned()
    }

    /// Validates, analyzes and stores: the one path behind both doors.
    fn run(&self, batch: AnalyzeRequest) -> Analysis {
        let analysis = analyze(&batch.texts, batch.top);
        self.put(&analysis);
        analysis
    }
}

// ANCHOR: rest
/// Analyze a batch of texts.
///
/// Counts characters and words per text, lists the most frequent words and
/// hashes each text. A plain `fn`: it runs on the blocking pool.
#[post("/v1/analyze", tags = ["textstats"], operation_id = "analyze")]
fn analyze_texts(State(store): State<Store>, batch: Json<AnalyzeRequest>) -> Json<Analysis> {
    Json(store.run(batch.0))
}

/// Read a stored analysis.
#[get(
    "/v1/reports/{report_id}",
    tags = ["textstats"],
    operation_id = "get_report",
    responses = [(404, "Report not found")]
)]
async fn read_report(
    State(store): State<Store>,
    report_id: Path<String>,
) -> Result<Json<Analysis>, HTTPException> {
    store
        .get(&report_id)
        .map(Json)
        .ok_or_else(|| HTTPException::new(404, "Report not found"))
}
// ANCHOR_END: rest

/// The gRPC door: the same store, the same rules.
#[derive(Debug, Clone)]
pub struct Grpc {
    store: Store,
}

fn to_pb(a: Analysis) -> pb::Analysis {
    pb::Analysis {
        id: a.id,
        total_words: a.total_words,
        reports: a
            .reports
            .into_iter()
            .map(|r| pb::TextReport {
                chars: r.chars,
                words: r.words,
                unique_words: r.unique_words,
                sha256: r.sha256,
                top_words: r
                    .top_words
                    .into_iter()
                    .map(|w| pb::WordCount {
                        word: w.word,
                        count: w.count,
                    })
                    .collect(),
            })
            .collect(),
    }
}

// ANCHOR: grpc
#[tonic::async_trait]
impl pb::text_stats_server::TextStats for Grpc {
    async fn analyze(
        &self,
        request: tonic::Request<pb::AnalyzeRequest>,
    ) -> Result<tonic::Response<pb::Analysis>, tonic::Status> {
        let r = request.into_inner();
        let top = if r.top == 0 { default_top() } else { r.top };
        let value = serde_json::json!({ "texts": r.texts, "top": top });
        // The REST body's rules and words: the message is its 422 body.
        let batch: AnalyzeRequest = ferroapi::validate_json(&value, &["body"])
            .map_err(|e| tonic::Status::invalid_argument(e.body()))?;
        let store = self.store.clone();
        let analysis = tokio::task::spawn_blocking(move || store.run(batch))
            .await
            .map_err(|e| tonic::Status::internal(e.to_string()))?;
        Ok(tonic::Response::new(to_pb(analysis)))
    }

    async fn get_report(
        &self,
        request: tonic::Request<pb::GetReportRequest>,
    ) -> Result<tonic::Response<pb::Analysis>, tonic::Status> {
        self.store
            .get(&request.into_inner().id)
            .map(|a| tonic::Response::new(to_pb(a)))
            .ok_or_else(|| tonic::Status::not_found("Report not found"))
    }
}
// ANCHOR_END: grpc

// ANCHOR: app
/// The whole service: REST routes, the gRPC service, health and reflection.
pub fn app(store: Store) -> App<Store> {
    let grpc = Grpc {
        store: store.clone(),
    };
    App::with_state(store)
        .title("TextStats")
        .version("1.0.0")
        .description("Text statistics, over REST and gRPC on one port.")
        .route(analyze_texts)
        .route(read_report)
        .grpc_service(pb::text_stats_server::TextStatsServer::new(grpc))
        .grpc_health()
        .grpc_reflection(pb::FILE_DESCRIPTOR_SET)
}
// ANCHOR_END: app
