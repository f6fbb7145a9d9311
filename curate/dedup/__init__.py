"""MinHash near-duplicate machinery shared by the `near_dedup` and `decontaminate` stages.

- `shingles`: text -> normalised tokens -> hashed word n-grams (char n-grams for CJK),
  and template-line stripping;
- `minhash`: datasketch-compatible signatures, LSH banding chosen for recall, candidate
  pairs, exact Jaccard verification and clusters;
- `index`: the optional persistent datasketch `MinHashLSH` index in Redis.
"""
