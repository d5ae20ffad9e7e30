"""The recogniser graph rewrite (extract/onnx_fuse.py) is exact algebra: the fused
model must read what the exported one reads.

Checked on a small graph built here that holds every rewritten pattern (including a
padded convolution, whose zero border a naive fold would turn into the bias) and on
the shipped PP-OCRv4 recogniser over crops of the sample scan.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnx
import onnxruntime as ort
import pymupdf
from onnx import TensorProto, helper, numpy_helper

from extract.onnx_fuse import fuse
from extract.ocr_rec import default_model_path

ROOT = Path(__file__).resolve().parent.parent


def _session(model) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.log_severity_level = 4
    data = model if isinstance(model, (str, bytes)) else model.SerializeToString()
    return ort.InferenceSession(data, so, providers=["CPUExecutionProvider"])


def _small_model(rng) -> onnx.ModelProto:
    """conv3x3 -> affine -> hardswish -> affine -> depthwise conv3x3 (padded) -> affine
    -> hardswish -> affine -> conv1x1 (unpadded) -> affine."""
    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr, np.float32), name))
        return name

    def conv(x, out, w, b, pads, group=1):
        nodes.append(helper.make_node("Conv", [x, const(out + ".w", w), const(out + ".b", b)], [out],
                                      pads=pads, group=group, kernel_shape=list(w.shape[2:])))
        return out

    def affine(x, out):
        s, b = rng.uniform(0.3, 2.5), rng.uniform(-1, 1)
        nodes.append(helper.make_node("Mul", [const(out + ".s", [s]), x], [out + ".m"]))
        nodes.append(helper.make_node("Add", [out + ".m", const(out + ".t", [b])], [out]))
        return out

    def hardswish(x, out):
        nodes.append(helper.make_node("Add", [x, const(out + ".3", [3.0])], [out + ".a"]))
        nodes.append(helper.make_node("Clip", [out + ".a", const(out + ".lo", 0.0), const(out + ".hi", 6.0)],
                                      [out + ".c"]))
        nodes.append(helper.make_node("Mul", [x, out + ".c"], [out + ".m"]))
        nodes.append(helper.make_node("Div", [out + ".m", const(out + ".6", [6.0])], [out]))
        return out

    r = lambda *s: rng.normal(0, 0.5, s)  # noqa: E731
    y = conv("x", "c1", r(4, 3, 3, 3), r(4), [1, 1, 1, 1])
    y = affine(hardswish(affine(y, "a1"), "h1"), "a2")
    y = conv(y, "c2", r(4, 1, 3, 3), r(4), [1, 1, 1, 1], group=4)
    y = affine(hardswish(affine(y, "a3"), "h2"), "a4")
    y = conv(y, "c3", r(6, 4, 1, 1), r(6), [0, 0, 0, 0])
    affine(y, "y")
    g = helper.make_graph(nodes, "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 20])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 12)])


def test_fused_small_graph_equals_original_and_loses_its_elementwise_ops():
    rng = np.random.default_rng(7)
    model = _small_model(rng)
    x = rng.normal(0, 1, (1, 3, 12, 20)).astype(np.float32)
    want = _session(model).run(None, {"x": x})[0]
    fused = fuse(_small_model(np.random.default_rng(7)))
    ops = [n.op_type for n in fused.graph.node]
    # every affine folded or turned into a 1x1 per-channel conv, every hardswish a HardSigmoid
    assert "Clip" not in ops and "Div" not in ops and "Add" not in ops
    assert ops.count("HardSigmoid") == 2 and ops.count("Mul") == 2
    got = _session(fused).run(None, {"x": x})[0]
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_fused_recogniser_reads_the_sample_scan_as_the_exported_model():
    path = default_model_path()
    plain, fused = _session(path), _session(fuse(onnx.load(path)))
    name = plain.get_inputs()[0].name
    page = pymupdf.open(ROOT / "samples" / "shapotou-2025-scan.pdf")[0]
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    rng = np.random.default_rng(3)
    for _ in range(12):
        h = int(rng.integers(30, 60))
        w = int(rng.integers(60, 900))
        y0 = int(rng.integers(0, img.shape[0] - h))
        x0 = int(rng.integers(0, img.shape[1] - w))
        crop = img[y0:y0 + h, x0:x0 + w]
        width = max(1, round(48 * w / h))
        grey = cv2.resize(crop, (width, 48)).astype(np.float32) * (2 / 255) - 1
        x = np.repeat(grey[None, None], 3, axis=1)
        a, b = plain.run(None, {name: x})[0], fused.run(None, {name: x})[0]
        assert np.abs(a - b).max() < 2e-3
        assert (a.argmax(-1) == b.argmax(-1)).all()
