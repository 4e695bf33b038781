"""Training side: synthetic and Label Studio data, fine-tuning, ONNX export, evaluation (uses maritime_ner.core; serving never imports it)."""
