"""The packaged sentence encoders, shared by the stages that compare meaning.

`embed`: the multilingual Universal Sentence Encoder (dedup, memory), with its
vectors cached in the state database by content hash. `sentence_encoder`: the
English MiniLM encoder the extractive summariser scores sentences with. Both
load from their PyPI packages; nothing is downloaded at run time.
"""
