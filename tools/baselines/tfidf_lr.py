#!/usr/bin/python3
"""TF-IDF + logistic-regression baseline on the rows `moe-router eval` uses (issue 16).

Word 1-2-grams + char 2-5-grams (char_wb), sublinear tf, fitted on train; multinomial
logistic regression with C tuned on the validation rows; accuracy on test at 100%, 80% and
50% coverage (most confident rows first) and, with out-of-scope rows ("oos"), OOS recall and
precision when the val-tuned confidence threshold sends low-confidence rows to clarification.

Needs Debian's python3-sklearn (`/usr/bin/python3`, not a pyenv python). Rows come from
tools/baselines/export-split.ts; `tools/baselines/run-baseline.sh` does both steps.

    /usr/bin/python3 tools/baselines/tfidf_lr.py SPLIT_DIR [--oos-label oos] [--json OUT.json]
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def read(path):
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def accuracy_at(confidence, correct, coverage):
    order = np.argsort(-confidence, kind="stable")
    keep = max(1, int(round(coverage * len(order))))
    return float(np.mean(correct[order[:keep]]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("split_dir")
    parser.add_argument("--oos-label", default="oos")
    parser.add_argument("--json")
    args = parser.parse_args()
    d = Path(args.split_dir)
    train_x, train_y = read(d / "train.jsonl")
    val_x, val_y = read(d / "val.jsonl")
    test_x, test_y = read(d / "test.jsonl")
    oos = args.oos_label
    # Out-of-scope rows are left out of fitting (as evaluate() does); they are right when clarified.
    fit_rows = [i for i, y in enumerate(train_y) if y != oos]
    started = time.time()
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
    fit_x = [train_x[i] for i in fit_rows]
    fit_y = np.array([train_y[i] for i in fit_rows])
    word.fit(fit_x)
    char.fit(fit_x)
    feats = lambda texts: hstack([word.transform(texts), char.transform(texts)]).tocsr()
    xtr, xva, xte = feats(fit_x), feats(val_x), feats(test_x)
    val_in = np.array([y != oos for y in val_y])
    best = None
    grid = {}
    for c in [1, 3, 10, 30, 100]:
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(xtr, fit_y)
        acc = float(np.mean(model.predict(xva[val_in]) == np.array(val_y)[val_in]))
        grid[c] = acc
        if best is None or acc > best[0]:
            best = (acc, c, model)
    _, c, model = best
    fit_s = time.time() - started
    t0 = time.time()
    proba = model.predict_proba(xte)
    predict_ms = (time.time() - t0) * 1000 / len(test_x)
    pred = model.classes_[proba.argmax(1)]
    conf = proba.max(1)
    truth = np.array(test_y)
    in_scope = truth != oos
    correct = (pred == truth) & in_scope
    result = {
        "split_dir": str(d), "train": len(fit_x), "val": len(val_x), "test": len(test_x), "features": xtr.shape[1],
        "C": c, "val_accuracy_by_C": grid, "fit_seconds": round(fit_s, 1), "predict_ms_per_row_batched": round(predict_ms, 4),
        "in_scope_test": int(in_scope.sum()),
        "accuracy_100": float(np.mean(correct[in_scope])),
        "accuracy_80": accuracy_at(conf[in_scope], correct[in_scope], 0.8),
        "accuracy_50": accuracy_at(conf[in_scope], correct[in_scope], 0.5),
    }
    if (~in_scope).any():
        # Threshold on the top probability: the smallest one keeping val OOS recall >= 0.8,
        # tuned on the validation rows, then OOS recall / precision of clarification on test.
        vproba = model.predict_proba(xva).max(1)
        val_oos = ~val_in
        best_t = 0.0
        for t in np.unique(np.round(vproba, 3)):
            if np.mean(vproba[val_oos] < t) >= 0.8:
                best_t = float(t)
                break
        clarified = conf < best_t
        result["oos"] = {
            "rows": int((~in_scope).sum()), "threshold": best_t,
            "recall": float(np.mean(clarified[~in_scope])),
            "precision": float(np.mean(~in_scope[clarified])) if clarified.any() else None,
            "in_scope_accuracy": float(np.mean((correct & ~clarified)[in_scope])),
        }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
