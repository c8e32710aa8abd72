//! The predict example: a model-serving API. A multinomial logistic regression is trained on
//! the iris data set (shipped inside the `linfa-datasets` crate) when the app starts, checked
//! on a held-out test split, and served behind validated prediction routes.
//!
//! Run it with `cargo run -p predict`; see the README for the routes and curl examples.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use ferrapi::prelude::*;
use ferrapi::response::{ResponseHeader, WithHeader};
use linfa::prelude::*;
use linfa_logistic::{MultiFittedLogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2, Axis, Ix1};

/// The classes, by the label the data set gives them (0, 1, 2).
pub const SPECIES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// The features, in the order the model takes them (the data set's column order).
pub const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

/// The algorithm, as reported by `GET /model`.
pub const ALGORITHM: &str = "multinomial logistic regression (linfa-logistic, L-BFGS)";

/// Every fifth row of each class is held out for testing: 30 of the 150 rows, 10 per class.
/// The split is deterministic (no random seed to keep track of) and stratified (the data set
/// is sorted by class, so taking the last rows would test on one class only).
pub const TEST_EVERY: usize = 5;

/// The lowest test accuracy the app will serve with, unless `PREDICT_MIN_ACCURACY` says
/// otherwise: a model below it stops start-up instead of answering badly.
pub const DEFAULT_MIN_ACCURACY: f64 = 0.9;

/// One flower's measurements, in centimetres.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Sepal length (cm).
    #[field(gt = 0, le = 30, example = 5.1)]
    pub sepal_length: f64,
    /// Sepal width (cm).
    #[field(gt = 0, le = 30, example = 3.5)]
    pub sepal_width: f64,
    /// Petal length (cm).
    #[field(gt = 0, le = 30, example = 1.4)]
    pub petal_length: f64,
    /// Petal width (cm).
    #[field(gt = 0, le = 30, example = 0.2)]
    pub petal_width: f64,
}

impl Features {
    fn row(&self) -> [f64; 4] {
        [
            self.sepal_length,
            self.sepal_width,
            self.petal_length,
            self.petal_width,
        ]
    }
}

/// The iris species.
#[model]
#[serde(rename_all = "lowercase")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Species {
    /// Iris setosa.
    Setosa,
    /// Iris versicolor.
    Versicolor,
    /// Iris virginica.
    Virginica,
}

impl Species {
    /// The species of a data set label (0, 1, 2).
    pub fn from_label(label: usize) -> Option<Species> {
        [Species::Setosa, Species::Versicolor, Species::Virginica]
            .get(label)
            .copied()
    }
}

/// The probability of each species; they add up to 1.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Probabilities {
    /// P(setosa).
    pub setosa: f64,
    /// P(versicolor).
    pub versicolor: f64,
    /// P(virginica).
    pub virginica: f64,
}

/// The model's answer for one flower.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The most probable species.
    pub species: Species,
    /// The probability of each species.
    pub probabilities: Probabilities,
}

/// The body of `POST /predict/batch`.
#[model]
#[derive(Clone, Debug)]
pub struct BatchRequest {
    /// The flowers to classify, 1 to 256 of them.
    #[field(min_items = 1, max_items = 256)]
    pub items: Vec<Features>,
}

/// The answer of `POST /predict/batch`: one prediction per item, in the items' order.
#[model]
#[derive(Clone, Debug)]
pub struct BatchPrediction {
    /// The predictions, in the order of the request's items.
    pub predictions: Vec<Prediction>,
}

/// What `GET /model` says about the model being served.
#[model]
#[derive(Clone, Debug)]
pub struct ModelInfo {
    /// The learning algorithm.
    pub algorithm: String,
    /// The input features, in the order the model takes them.
    pub features: Vec<String>,
    /// The classes it predicts.
    pub classes: Vec<String>,
    /// Rows it was trained on.
    pub training_rows: usize,
    /// Held-out rows it was tested on.
    pub test_rows: usize,
    /// Share of the test rows it classified correctly.
    pub test_accuracy: f64,
    /// When training finished.
    pub trained_at: DateTime<Utc>,
}

/// The `x-prediction-time-us` response header.
pub struct PredictionTime;

impl ResponseHeader for PredictionTime {
    const NAME: &'static str = "x-prediction-time-us";
    const DESCRIPTION: &'static str =
        "Microseconds spent in the model call (not counting parsing, validation or I/O).";
    fn schema() -> serde_json::Value {
        serde_json::json!({"type": "integer", "minimum": 0})
    }
}

/// A trained model and what is known about it; the app's state once start-up trained it.
#[derive(Clone)]
pub struct Classifier {
    model: Arc<MultiFittedLogisticRegression<f64, usize>>,
    info: Arc<ModelInfo>,
}

impl Classifier {
    /// Trains on the iris data set and measures the accuracy on the held-out rows. Fails
    /// when the optimiser fails, or when the test accuracy is below `min_accuracy`.
    pub fn train(min_accuracy: f64) -> Result<Classifier, String> {
        let data = linfa_datasets::iris();
        let (train, test) = split(data.records(), data.targets());
        let model = MultiLogisticRegression::default()
            .max_iterations(200)
            .fit(&train)
            .map_err(|e| format!("training the iris classifier failed: {e}"))?;
        let predicted = model.predict(test.records());
        let correct = predicted
            .iter()
            .zip(test.targets())
            .filter(|(p, t)| p == t)
            .count();
        let test_accuracy = correct as f64 / test.nsamples() as f64;
        if test_accuracy < min_accuracy {
            return Err(format!(
                "the trained model's test accuracy {test_accuracy:.3} ({correct}/{}) is below \
                 the required {min_accuracy} (PREDICT_MIN_ACCURACY); refusing to serve it",
                test.nsamples()
            ));
        }
        let classes = model
            .classes()
            .iter()
            .map(|&c| SPECIES.get(c).map(|s| s.to_string()))
            .collect::<Option<Vec<_>>>()
            .ok_or("the model learned a class that is not an iris species")?;
        if classes != SPECIES {
            return Err(format!(
                "unexpected classes {classes:?}, expected {SPECIES:?}"
            ));
        }
        let info = ModelInfo {
            algorithm: ALGORITHM.into(),
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            classes,
            training_rows: train.nsamples(),
            test_rows: test.nsamples(),
            test_accuracy,
            trained_at: Utc::now(),
        };
        Ok(Classifier {
            model: Arc::new(model),
            info: Arc::new(info),
        })
    }

    /// What is known about the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Classifies each flower, in order.
    pub fn predict(&self, flowers: &[Features]) -> Vec<Prediction> {
        let rows: Vec<f64> = flowers.iter().flat_map(|f| f.row()).collect();
        let x = Array2::from_shape_vec((flowers.len(), FEATURES.len()), rows)
            .expect("four features per row");
        // Columns follow `classes()`, which `train` checked to be SPECIES' order.
        let probs = self.model.predict_probabilities(&x);
        probs
            .outer_iter()
            .map(|p| {
                let best = (0..p.len())
                    .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                    .unwrap_or(0);
                Prediction {
                    species: Species::from_label(best).unwrap_or(Species::Setosa),
                    probabilities: Probabilities {
                        setosa: p[0],
                        versicolor: p[1],
                        virginica: p[2],
                    },
                }
            })
            .collect()
    }

    /// Classifies the flowers, timing the model call in microseconds.
    fn timed(&self, flowers: &[Features]) -> (Vec<Prediction>, u64) {
        let start = Instant::now();
        let out = self.predict(flowers);
        let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
        (out, micros)
    }
}

/// Splits the rows into training and test sets: every [`TEST_EVERY`]th row of each class is
/// held out.
fn split(
    records: &Array2<f64>,
    targets: &Array1<usize>,
) -> (Dataset<f64, usize, Ix1>, Dataset<f64, usize, Ix1>) {
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (i, &t) in targets.iter().enumerate() {
        let k = seen.entry(t).or_default();
        *k += 1;
        if k.is_multiple_of(TEST_EVERY) {
            test.push(i);
        } else {
            train.push(i);
        }
    }
    let take = |idx: &[usize]| {
        Dataset::new(records.select(Axis(0), idx), targets.select(Axis(0), idx))
            .with_feature_names(FEATURES.to_vec())
    };
    (take(&train), take(&test))
}

/// Predict one flower's species
///
/// The `x-prediction-time-us` header tells how long the model took.
#[post("/predict", tags = ["predict"])]
pub async fn predict(
    clf: State<Classifier>,
    flower: Json<Features>,
) -> WithHeader<PredictionTime, Json<Prediction>> {
    let (mut out, micros) = clf.timed(std::slice::from_ref(&flower.0));
    let prediction = out.pop().expect("one prediction per flower");
    WithHeader::new(micros.into(), Json(prediction))
}

/// Predict a batch of flowers
///
/// Up to 256 flowers in one call; the predictions come back in the items' order. The
/// `x-prediction-time-us` header tells how long the model took for the whole batch.
#[post("/predict/batch", tags = ["predict"])]
pub async fn predict_batch(
    clf: State<Classifier>,
    batch: Json<BatchRequest>,
) -> WithHeader<PredictionTime, Json<BatchPrediction>> {
    let (predictions, micros) = clf.timed(&batch.items);
    WithHeader::new(micros.into(), Json(BatchPrediction { predictions }))
}

/// The model being served
///
/// The algorithm, the features and classes, the size of the training and test sets, the
/// test accuracy, and when it was trained.
#[get("/model", tags = ["model"])]
pub async fn model_info(clf: State<Classifier>) -> Json<ModelInfo> {
    Json(clf.info().clone())
}

/// The predict app. The model is trained by a start-up hook, so `openapi` (which does not
/// start the app) needs no training, and `/health/ready` answers 200 only once it is trained.
/// The minimum test accuracy comes from `PREDICT_MIN_ACCURACY` (default 0.9).
pub fn app() -> App {
    app_with(None)
}

/// The app, with the minimum test accuracy given (`None`: from the environment).
pub fn app_with(min_accuracy: Option<f64>) -> App {
    App::new()
        .title("Iris predictor")
        .version("1.0.0")
        .description(
            "Model serving with ferrapi: a multinomial logistic regression trained at start-up \
             on the iris data set, with validated single and batch predictions.",
        )
        .health()
        .metrics("/metrics")
        .startup(move || async move {
            let min = match min_accuracy {
                Some(m) => m,
                None => ferrapi::ops::env_or("PREDICT_MIN_ACCURACY", DEFAULT_MIN_ACCURACY)
                    .map_err(|e| e.to_string())?,
            };
            tokio::task::spawn_blocking(move || Classifier::train(min))
                .await
                .map_err(|e| format!("training panicked: {e}"))?
        })
        .routes(routes![predict, predict_batch, model_info])
}
