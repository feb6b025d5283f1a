"""The loss kernels: the passes over the data behind every loss, in plain NumPy.

The public functions in :mod:`lossedu.losses` check their arguments and call these. Each
kernel works in cache-sized blocks and writes one pass per line, commented by what it
computes; none of them checks its input.

>>> import numpy as np
>>> float(_sparse_ce(np.array([2]), np.array([[1.0, 2.0, 3.0]], np.float32))[0])
0.40760594606399536
"""

from __future__ import annotations

import numpy as np

from lossedu.arguments import compute_dtype
from lossedu.constants import EPSILON

__all__: list[str] = []   # private to the loss modules


# How the kernels stay fast in plain NumPy: each works through its input in blocks of about
# _BLOCK_BYTES, blocks of rows for the losses over a class axis (a row is never split), flat
# chunks for the element-wise ones.  A block's first pass reads it from memory; every later
# pass (subtract, exp, sum, ...) finds it in the CPU's cache.  Scratch space is a block or
# two, never an array the size of the input.  No sum crosses a block, so the block size
# changes no result.  One thread: a pool of threads over the blocks was measured on the
# 2-core machine of the README's benchmark and was not clearly faster (0.7-1.1x the
# single-threaded time, depending on the loss and on the other jobs running).
_BLOCK_BYTES = 1 << 19


def _block_len(item_bytes: int) -> int:
    """How many rows (or elements) of ``item_bytes`` bytes fill one block."""
    return max(1, _BLOCK_BYTES // max(1, item_bytes))


def _for_each_block(work, n: int, item_bytes: int) -> None:
    """Call ``work(sl)`` for consecutive slices ``sl`` of ``range(n)``, each about a block."""
    step = _block_len(item_bytes)
    for start in range(0, n, step):
        work(slice(start, start + step))


def _row_sums(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)``, as dot products with a row of ones: BLAS's dot is 2-3x faster than
    NumPy's pairwise sum on these rows, and as accurate in float32 (a few 1e-7 relative)."""
    return np.vecdot(a, np.ones(a.shape[1], a.dtype))


def _as_rows(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """``a`` as a 2-D array ``(examples, classes)``, the class axis last (a view if it can)."""
    a = np.moveaxis(a, axis, -1)
    return a.reshape(-1, a.shape[-1])


def _without_axis(shape: tuple, axis: int) -> tuple:
    axis %= len(shape)
    return shape[:axis] + shape[axis + 1:]


def _sparse_ce(labels: np.ndarray, z: np.ndarray) -> np.ndarray:
    """TF's kernel: ``log(sum(exp(z - max))) - (z - max)[label]``, one float64 per example.

    The log of the row sums (one per example, so cheap) is taken in float64: NumPy's
    float32 ``log`` can be an ulp off.
    """
    rows, lab = _as_rows(z), labels.reshape(-1)
    dtype = compute_dtype(z.dtype)
    out = np.empty(len(rows), np.float64)

    def block(sl: slice) -> None:
        zb = rows[sl].astype(dtype, copy=False)             # float16 is computed in float32
        m = zb.max(axis=1)                                  # pass 1: the row maximum
        picked = zb[np.arange(len(zb)), lab[sl]] - m        # the label's shifted logit
        b = np.subtract(zb, m[:, None])                     # pass 2: shifted logits, <= 0
        np.exp(b, out=b)                                    # pass 3: exp, in cache
        lse = np.log(_row_sums(b).astype(np.float64))       # pass 4: log-sum-exp - max
        out[sl] = lse - picked

    _for_each_block(block, len(rows), rows.shape[1] * dtype.itemsize)
    return out.reshape(labels.shape)


def _sparse_ce_probs(labels: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Keras's ``from_logits=False`` sparse loss: TF's sparse kernel on ``log(clip(p))``.

    With ``q = clip(p, 1e-7, 1 - 1e-7)``, ``softmax(log q) = q / sum(q)``, so that loss is
    ``log(sum(q)) - log(q[label])``: a clip and a sum per entry, two logs per example,
    where the literal route takes a log and an exp of every entry.
    """
    rows, lab = _as_rows(p), labels.reshape(-1)
    dtype = compute_dtype(p.dtype)
    eps = dtype.type(EPSILON)
    out = np.empty(len(rows), np.float64)

    def block(sl: slice) -> None:
        q = np.clip(rows[sl].astype(dtype, copy=False), eps, 1 - eps)  # pass 1: q = clip(p)
        total = _row_sums(q).astype(np.float64)                        # pass 2: sum(q)
        out[sl] = np.log(total) - np.log(q[np.arange(len(q)), lab[sl]])

    _for_each_block(block, len(rows), rows.shape[1] * dtype.itemsize)
    return out.reshape(labels.shape)


def _softmax_ce(y: np.ndarray, z: np.ndarray, axis: int = -1) -> np.ndarray:
    """``sum(y * (lse - shifted)) = lse * sum(y) - sum(y * shifted)``, one float64 per example.

    ``shifted = z - max(z)`` and ``lse = log(sum(exp(shifted)))``: the sparse kernel plus a
    row-wise dot product ``<y, shifted>``, taken before ``exp`` overwrites the block.
    """
    zr, yr = _as_rows(z, axis), _as_rows(y, axis)
    dtype = compute_dtype(z.dtype)
    out = np.empty(len(zr), np.float64)

    def block(sl: slice) -> None:
        zb, yb = zr[sl].astype(dtype, copy=False), yr[sl].astype(dtype, copy=False)  # f16: f32
        m = zb.max(axis=1, keepdims=True)                   # pass 1: the row maximum
        b = np.subtract(zb, m)                              # pass 2: shifted logits, <= 0
        y_dot = np.vecdot(yb, b)                            # pass 3: sum(y * shifted)
        y_sum = _row_sums(yb)                               # pass 4: sum(y), 1 for one-hot
        np.exp(b, out=b)                                    # pass 5: exp, in cache
        lse = np.log(_row_sums(b).astype(np.float64))       # pass 6: log-sum-exp - max
        out[sl] = lse * y_sum - y_dot

    _for_each_block(block, len(zr), zr.shape[1] * dtype.itemsize)
    return out.reshape(_without_axis(z.shape, axis))


def _categorical_ce_probs(y: np.ndarray, p: np.ndarray, axis: int = -1) -> np.ndarray:
    """Keras's ``-sum(y * log(clip(p / sum(p))), axis)``, in row blocks, in ``p``'s dtype."""
    pr, yr = _as_rows(p, axis), _as_rows(y, axis)
    out = np.empty(len(pr), p.dtype)

    def block(sl: slice) -> None:
        logp = _keras_log_probs(pr[sl])                     # passes 1-4: sum, /, clip, log
        out[sl] = -np.vecdot(yr[sl], logp)                  # pass 5: -sum(y * log p)

    _for_each_block(block, len(pr), pr.shape[1] * p.dtype.itemsize)
    return out.reshape(_without_axis(p.shape, axis))


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)


def _elementwise(kernel, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``kernel(x, z, out)`` over flat chunks of ``x`` and ``z``, into a new array."""
    out = np.empty(x.shape, x.dtype)         # C order, so out.reshape(-1) is a view
    fx, fz, fo = x.reshape(-1), z.reshape(-1), out.reshape(-1)
    _for_each_block(lambda sl: kernel(fx[sl], fz[sl], fo[sl]), fx.size, x.dtype.itemsize)
    return out


def _sigmoid_ce(x: np.ndarray, z: np.ndarray, out: np.ndarray) -> None:
    """``out = max(x, 0) - x * z + log1p(exp(-|x|))``, in cache-sized chunks.

    ``np.log1p`` has no SIMD loop and is several times slower than ``np.log``, so log1p(e)
    is ``log(u) - (u - 1 - e) / u`` with ``u = 1 + e`` rounded: ``u - 1 - e`` is exactly the
    rounding error of ``u`` (both subtractions are exact), and dividing it by ``u`` undoes
    that error's effect on the log to first order, a few ulp in all.  Where ``e`` is below
    half an ulp of 1, ``u`` is 1 and the formula gives ``e`` itself, as log1p does.
    """
    fx, fz, fo = x.reshape(-1), z.reshape(-1), out.reshape(-1)
    step = _block_len(x.dtype.itemsize)
    u, w = np.empty(min(step, fx.size), x.dtype), np.empty(min(step, fx.size), x.dtype)
    zeros = np.zeros(min(step, fx.size), x.dtype)  # np.maximum(x, 0) is 3x slower
    for start in range(0, fx.size, step):
        sl = slice(start, start + step)
        xs, zs, o = fx[sl], fz[sl], fo[sl]
        uu, ww = u[:o.size], w[:o.size]
        np.abs(xs, out=o)                    # pass 1: |x|
        np.negative(o, out=o)                # pass 2: -|x|
        np.exp(o, out=o)                     # pass 3: e = exp(-|x|) in (0, 1]
        np.add(o, 1, out=uu)                 # pass 4: u = 1 + e, rounded
        np.subtract(uu, 1, out=ww)           # pass 5: u - 1
        ww -= o                              # pass 6: u - 1 - e, the rounding error of u
        ww /= uu                             # pass 7: its effect on log(u)
        np.log(uu, out=uu)                   # pass 8: log(u)
        np.subtract(uu, ww, out=o)           # pass 9: log1p(e)
        # TF's order, (max(x, 0) - x * z) + log1p(e), keeps x = 17, z = 1 at 4.1e-8, not 0
        np.maximum(xs, zeros[:o.size], out=ww)  # pass 10: max(x, 0)
        np.multiply(xs, zs, out=uu)          # pass 11: x * z
        ww -= uu                             # pass 12: max(x, 0) - x * z
        o += ww                              # pass 13: the loss


def _binary_ce_probs(p: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    """Keras's element-wise ``out = -(y * log(q) + (1 - y) * log(1 - q))``, ``q = clip(p)``."""
    fp, fy, fo = p.reshape(-1), y.reshape(-1), out.reshape(-1)
    eps = p.dtype.type(EPSILON)
    step = _block_len(p.dtype.itemsize)
    a, b = np.empty(min(step, fp.size), p.dtype), np.empty(min(step, fp.size), p.dtype)
    for start in range(0, fp.size, step):
        sl = slice(start, start + step)
        ys, o = fy[sl], fo[sl]
        aa, bb = a[:o.size], b[:o.size]
        np.clip(fp[sl], eps, 1 - eps, out=aa)  # pass 1: q
        np.subtract(1, aa, out=bb)           # pass 2: 1 - q
        np.log(bb, out=bb)                   # pass 3: log(1 - q)
        np.log(aa, out=aa)                   # pass 4: log(q)
        aa *= ys                             # pass 5: y * log(q)
        np.subtract(1, ys, out=o)            # pass 6: 1 - y
        bb *= o                              # pass 7: (1 - y) * log(1 - q)
        aa += bb                             # pass 8: their sum
        np.negative(aa, out=o)               # pass 9: the loss


def _binary_ce(y: np.ndarray, p: np.ndarray, axis: int, kernel, dtype) -> np.ndarray:
    """Keras's binary cross-entropy: ``kernel(p, y, losses)`` in ``dtype``, then the mean of
    ``losses`` over ``axis``, in row blocks, so the element-wise losses never all exist."""
    pr, yr = _as_rows(p, axis), _as_rows(y, axis)
    out = np.empty(len(pr), p.dtype)

    def block(sl: slice) -> None:
        pb, yb = pr[sl].astype(dtype, copy=False), yr[sl].astype(dtype, copy=False)
        losses = np.empty(pb.shape, dtype)
        kernel(pb, yb, losses)                              # the element-wise losses
        out[sl] = losses.astype(p.dtype, copy=False).mean(axis=1)      # each row's mean

    _for_each_block(block, len(pr), pr.shape[1] * np.dtype(dtype).itemsize)
    return out.reshape(_without_axis(p.shape, axis))


# a row summing to 0 gives 0 / 0 = NaN (and x / 0 = inf), exactly as in Keras


# a row summing to 0 gives 0 / 0 = NaN (and x / 0 = inf), exactly as in Keras
@np.errstate(divide="ignore", invalid="ignore")
def _keras_log_probs(p: np.ndarray, axis: int = -1, normalise: bool = True) -> np.ndarray:
    """:func:`keras_probability_path`'s steps, one pass each, in one new array."""
    eps = p.dtype.type(EPSILON)
    if normalise:
        q = np.divide(p, np.sum(p, axis=axis, keepdims=True))  # sum, then p / sum(p)
        np.clip(q, eps, 1 - eps, out=q)      # into [1e-7, 1 - 1e-7]
    else:
        q = np.clip(p, eps, 1 - eps)         # into [1e-7, 1 - 1e-7]
    return np.log(q, out=q)


# float errors that give TF's answer: overflow to +-inf at huge logits, and NaN from
# inf - inf or 0 * inf where TF has NaN too (tests/core/test_referee.py checks both)
