"""Experiment (issue 3): 3-fold CV on train of TF-IDF + a static MiniLM word-vector document embedding
(from static_word_vectors.py) as dense columns. Jigsaw AUCs on original-text rows only. Options:
scale=S (dense column scale; 0 = none), norm=l2|mean, storm_tox=mask, --keepclean. Appends to
cv_static_vectors.jsonl. Run with the project venv: python cv_static_vectors.py --keepclean norm=mean scale=1.0"""
import sys, json, time
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import numpy as np
from scipy import sparse
from sklearn.metrics import f1_score, roc_auc_score
from threadpoolctl import threadpool_limits
from tenor._features import Featurizer, word_forms
from tenor._text import tokenize
from tenor._calibration import sigmoid
from tenor.train.calibration import best_threshold, platt
from tenor.train.data import heldout_texts, remove_test_overlap
from tenor.train.features import build_vocabulary, featurize
from tenor.train.ngram import SETTINGS
from tenor.train.ngram.data import LOADERS, HEADS, load_training
from tenor.train.ngram.fit import HeadConfig, folds, identity_columns, out_of_fold_logits
from cv_alternatives import jigsaw_weights

dirs = [(ROOT / ".." / "shared") / d for d in ("data", "data2", "data3")]
base = load_training(dirs, LOADERS)
base = base[remove_test_overlap(base["text"].tolist(), heldout_texts(dirs), lambda _: None)].reset_index(drop=True)
noclean = "--keepclean" not in sys.argv
if noclean:
    base = base[~base["cleaned"]].reset_index(drop=True)
    base["weight"] = jigsaw_weights(base)
OPTS = dict(a.split("=") for a in sys.argv[1:] if "=" in a)
if OPTS.get("storm_tox") == "mask":
    base.loc[base["source"] == "stormfront", "TOXICITY"] = np.nan
if "olid_w" in OPTS:
    base.loc[base["source"] == "olid", "weight"] = float(OPTS["olid_w"])
texts = base["text"].tolist()
vocabulary, idf = build_vocabulary(texts, min_df=SETTINGS["min_df"], max_features=SETTINGS["max_features"])
fz = Featurizer(vocabulary, idf)
X = featurize(fz, texts)
idc = identity_columns(fz, texts)

wv = np.load(str(ROOT / "benchmarks/experiments/wordvec.npz"))
words = {w: i for i, w in enumerate(wv["words"])}
V = wv["vec"]
dim = int(dict(a.split("=") for a in sys.argv[1:] if "=" in a).get("dim", 384))
if dim < V.shape[1]:
    from sklearn.decomposition import PCA
    V = PCA(dim, random_state=0).fit_transform(V - V.mean(0)).astype(np.float32)
NORM = dict(a.split("=") for a in sys.argv[1:] if "=" in a).get("norm", "l2")
cnt = wv["counts"].astype(float)
total = cnt.sum()
sif = 1e-3 / (1e-3 + cnt / total)  # SIF weight a / (a + p(w))
E = np.zeros((len(texts), V.shape[1]), dtype=np.float32)
for r, t in enumerate(texts):
    toks = tokenize(t)
    idx = [words[f] for f, tok in zip(word_forms(toks), toks) if tok.is_word and f in words]
    if idx:
        e = (sif[idx, None] * V[idx]).sum(0)
        n = np.linalg.norm(e)
        if NORM == "l2" and n > 0:
            E[r] = e / n
        elif NORM == "mean":
            E[r] = e / sif[idx].sum()
rows = []
for scale in [float(s.split("=")[1]) for s in sys.argv[1:] if s.startswith("scale=")] or [0.0, 0.5, 1.0]:
    Xs = sparse.hstack([X, sparse.csr_matrix(E * scale)]).tocsr() if scale else X
    t0 = time.time()
    with threadpool_limits(limits=1):
        oof = out_of_fold_logits(Xs, base, folds(base, 3, 0), HeadConfig(C=SETTINGS["C"]), idc)
    df = base
    jig = ((df["source"] == "jigsaw2018") & ~df["cleaned"]).to_numpy()
    w = df["weight"].to_numpy()
    aucs = {h: round(float(roc_auc_score(df[h].to_numpy()[jig], oof[jig, i])), 4) for i, h in enumerate(HEADS)}
    row = {"variant": f"stack dim={V.shape[1]} scale={scale} norm={NORM} noclean={noclean} " + " ".join(sys.argv[1:]), "secs": round(time.time() - t0), "jigsaw_auc": aucs, "jigsaw_mean": round(float(np.mean(list(aucs.values()))), 4)}
    a, b = platt(oof[jig, 0], df["TOXICITY"].to_numpy()[jig], w[jig])
    p, y = sigmoid(a * oof[:, 0] + b), df["TOXICITY"].to_numpy()
    known = ~np.isnan(y)
    t = best_threshold(p[known], y[known], w[known], df["source"].to_numpy()[known])
    olid = (df["source"] == "olid").to_numpy()
    row["olid_auc"] = round(float(roc_auc_score(y[olid], p[olid])), 4)
    row["olid_macro_f1_at_threshold"] = round(float(f1_score(y[olid], p[olid] >= t, average="macro")), 4)
    row["olid_best_macro_f1"] = round(max(f1_score(y[olid], p[olid] >= tt, average="macro") for tt in np.arange(0.05, 0.95, 0.01)), 4)
    row["threshold"] = t
    print(json.dumps(row), flush=True)
    with open(str(ROOT / "benchmarks/experiments/cv_static_vectors.jsonl"), "a") as fh:
        fh.write(json.dumps(row) + "\n")
