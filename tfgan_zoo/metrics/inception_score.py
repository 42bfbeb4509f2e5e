"""Inception Score (Salimans et al. 2016): exp(E_x KL(p(y|x) || p(y))), over splits.

Works with any classifier's outputs: the Inception network's logits, or the digits
classifier's (then it is a "digits score", comparable only with itself).
"""
import numpy as np
import scipy.special


def _probabilities(logits, probs):
    if (logits is None) == (probs is None):
        raise ValueError("pass exactly one of logits= or probs=")
    if logits is not None:
        return scipy.special.softmax(np.asarray(logits, np.float64), axis=1)
    p = np.asarray(probs, np.float64)
    if p.ndim != 2 or (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
        raise ValueError("probs must be [N, C] non-negative rows summing to 1")
    return p / p.sum(axis=1, keepdims=True)


def inception_score(logits=None, probs=None, splits=10):
    """-> {"mean", "std", "splits"}; samples are split into `splits` consecutive chunks."""
    p_yx = _probabilities(logits, probs)
    n = len(p_yx)
    splits = int(splits)
    if splits < 1 or n < splits:
        raise ValueError(f"need at least splits={splits} samples, got {n}")
    scores = []
    for chunk in np.array_split(p_yx, splits):
        p_y = chunk.mean(axis=0, keepdims=True)
        kl = scipy.special.rel_entr(chunk, p_y).sum(axis=1)  # 0 log 0 = 0
        scores.append(np.exp(kl.mean()))
    scores = np.asarray(scores)
    return {"mean": float(scores.mean()), "std": float(scores.std()), "splits": splits}
