// Trainer: a tiny GPT on flat Float32 buffers, hand-written backward, cblas_sgemm for products.
@preconcurrency import CNumerics
