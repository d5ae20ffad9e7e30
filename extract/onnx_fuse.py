"""Fold the recogniser graph's elementwise chains into its convolutions.

PP-OCRv4's recogniser (PPLCNetV3 backbone, exported from Paddle by paddle2onnx)
follows nearly every convolution with a scalar affine (`Mul s`, `Add b`, the
"learnable affine block") and a hardswish spelled as four ops (`Add 3`, `Clip 0..6`,
`Mul x`, `Div 6`), then another scalar affine. ONNX Runtime fuses none of these: a
third of the model's time went to those elementwise passes and the layout reorders
around them. The rewrites below are exact algebra (up to float rounding):

* `Conv -> Mul s -> Add b`            =>  `Conv(W*s, bias*s + b)`
* `Mul s -> Add b -> Conv` unpadded   =>  `Conv(W*s, bias + b*sum(W))`
* `Mul s -> Add b -> Conv` padded     =>  a 1x1 per-channel `Conv(s, b)` before it
  (folding would turn its zero border into `b`; as a conv the affine stays in the
  runtime's blocked layout instead of being reordered out and back)
* `x * Clip(x + 3, 0, 6) / 6`         =>  `x * HardSigmoid(x; 1/6, 1/2)`, which
  ONNX Runtime then fuses into the preceding conv as its HardSwish activation.

Pure function over an `onnx.ModelProto`; the model file itself is never changed.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper


def fuse(model: onnx.ModelProto) -> onnx.ModelProto:
    """Rewrite `model` in place (and return it)."""
    g = model.graph
    const: dict[str, np.ndarray] = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    for n in g.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            const[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    consumers: dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    graph_outputs = {o.name for o in g.output}
    dead: set[int] = set()
    added: dict[str, np.ndarray] = {}

    def producer(name: str):
        return next((n for n in g.node if id(n) not in dead and name in n.output), None)

    def scalar(name: str) -> float | None:
        v = const.get(name)
        return float(v.ravel()[0]) if v is not None and v.size == 1 else None

    def sole_consumer(name: str):
        c = consumers.get(name, [])
        return c[0] if len(c) == 1 and name not in graph_outputs else None

    def other(node, name: str) -> str:
        return node.input[1] if node.input[0] == name else node.input[0]

    def scalar_operand(node, op: str, x: str) -> float | None:
        """`node` is `op(x, scalar constant)` in either order: the scalar."""
        if node is None or node.op_type != op or x not in node.input[:2]:
            return None
        return scalar(other(node, x))

    def weights(conv) -> tuple[np.ndarray, np.ndarray]:
        w = added.get(conv.input[1], const.get(conv.input[1]))
        b = None
        if len(conv.input) > 2 and conv.input[2]:
            b = added.get(conv.input[2], const.get(conv.input[2]))
        return w, (np.zeros(w.shape[0], np.float32) if b is None else b)

    def set_weights(conv, w: np.ndarray, b: np.ndarray) -> None:
        base = conv.name or conv.output[0]
        for k, (tag, arr) in enumerate((("w", w), ("b", b)), start=1):
            name = f"{base}.fused_{tag}"
            added[name] = arr.astype(np.float32)
            if k < len(conv.input):
                conv.input[k] = name
            else:
                conv.input.append(name)

    def zero_pads(conv) -> bool:
        for a in conv.attribute:
            if a.name == "pads":
                return not any(helper.get_attribute_value(a))
            if a.name == "auto_pad" and helper.get_attribute_value(a) not in (b"NOTSET", b"VALID"):
                return False
        return True

    for conv in list(g.node):
        if conv.op_type != "Conv" or conv.input[1] not in const:
            continue
        # Conv -> Mul s [-> Add b]
        y = conv.output[0]
        mul = sole_consumer(y)
        s = scalar_operand(mul, "Mul", y)
        if s is not None:
            add = sole_consumer(mul.output[0])
            b = scalar_operand(add, "Add", mul.output[0])
            w, bias = weights(conv)
            set_weights(conv, w * s, bias * s + (b or 0.0))
            last = add if b is not None else mul
            dead.update({id(mul), id(last)})
            conv.output[0] = last.output[0]
        # Mul s -> Add b -> Conv, unpadded
        x = conv.input[0]
        add = producer(x)
        if add is None or add.op_type != "Add" or sole_consumer(x) is not conv:
            continue
        mul = next((m for m in map(producer, add.input[:2]) if m is not None and m.op_type == "Mul"), None)
        if mul is None or sole_consumer(mul.output[0]) is not add:
            continue
        b = scalar_operand(add, "Add", mul.output[0])
        s_in = next((i for i in mul.input[:2] if scalar(i) is not None), None)
        if b is None or s_in is None:
            continue
        s = scalar(s_in)
        w, bias = weights(conv)
        if zero_pads(conv):
            set_weights(conv, w * s, bias + b * w.reshape(w.shape[0], -1).sum(axis=1))
            conv.input[0] = other(mul, s_in)
            dead.update({id(mul), id(add)})
            continue
        # padded: the affine becomes a 1x1 per-channel conv, which stays in the
        # runtime's blocked conv layout (a scalar Mul/Add is reordered out and back)
        group = next((helper.get_attribute_value(a) for a in conv.attribute if a.name == "group"), 1)
        c = w.shape[1] * group
        x_in = other(mul, s_in)
        mul.op_type = "Conv"
        del mul.input[:]
        mul.input.extend([x_in, f"{mul.output[0]}.affine_w", f"{mul.output[0]}.affine_b"])
        added[mul.input[1]] = np.full((c, 1, 1, 1), s, np.float32)
        added[mul.input[2]] = np.full(c, b, np.float32)
        mul.attribute.extend([helper.make_attribute("group", c), helper.make_attribute("kernel_shape", [1, 1])])
        mul.output[0] = x
        dead.add(id(add))

    # hardswish: Add(x, 3) -> Clip(0, 6) -> Mul(x, .) -> Div(6)
    for n in list(g.node):
        if n.op_type != "Add" or id(n) in dead:
            continue
        x = next((i for i in n.input[:2] if scalar(i) is None), None)
        if x is None or scalar_operand(n, "Add", x) != 3.0:
            continue
        clip = sole_consumer(n.output[0])
        if (clip is None or clip.op_type != "Clip" or len(clip.input) != 3
                or scalar(clip.input[1]) != 0.0 or scalar(clip.input[2]) != 6.0):
            continue
        mul = sole_consumer(clip.output[0])
        if mul is None or mul.op_type != "Mul" or other(mul, clip.output[0]) != x:
            continue
        div = sole_consumer(mul.output[0])
        if div is None or div.op_type != "Div" or div.input[0] != mul.output[0] or scalar(div.input[1]) != 6.0:
            continue
        n.op_type = "HardSigmoid"
        del n.input[:]
        n.input.append(x)
        n.attribute.extend([helper.make_attribute("alpha", 1 / 6), helper.make_attribute("beta", 0.5)])
        n.output[0] = clip.output[0]          # Mul(x, hardsigmoid(x)) ...
        mul.output[0] = div.output[0]         # ... now gives what the Div gave
        dead.update({id(clip), id(div)})

    keep = [n for n in g.node if id(n) not in dead]
    del g.node[:]
    g.node.extend(keep)
    g.initializer.extend(numpy_helper.from_array(a, name) for name, a in added.items())
    return model
