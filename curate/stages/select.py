"""Choose a small, varied, high-quality subset of the survivors under a budget.

Methods (DESIGN section 7):
- `deita`: rows in order of `score` (default the shared quality score); a row joins only if
  its cosine to every row already selected is below `tau` (DEITA, Liu et al. 2024).
- `kcenter`: greedy farthest-point on the embeddings, starting from the best-scored row:
  each pick is the row least similar to the selection so far.
- `random`: a seeded shuffle (the baseline every method must beat).
- `longest`: longest responses first ("Long Is More", Zhao et al. 2024).

Limits, all optional but at least one: `budget` (rows), `token_budget` (conversation
tokens: a fast estimate, or `tokenizer`'s count), `quotas` (per source: a row count, or a
fraction of `budget`). A row that would break a limit is skipped and the next one tried.

Every row not selected is rejected with reason `not_selected`; its detail names the
method's score and the nearest selected row (`source:row`, cosine) — for a deita row
skipped by `tau`, the selected row that decided it.
"""

from __future__ import annotations

import math
import re
from typing import ClassVar, Literal

import numpy as np
import polars as pl
from pydantic import Field, field_validator, model_validator

from curate.signals import approx_tokens, count_tokens
from curate.stages.base import DETAIL, REASON, Context, Stage, StageConfig
from curate.stages.embed import COLUMN as EMBEDDING
from curate.stages.embed import embedding_matrix
from curate.text import field_text

SCORE = "select_score"
TOKENS = "select_tokens"
REASON_CODE = "not_selected"

# DEITA's 0.9 was set for Llama-13B embeddings. With all-MiniLM-L6-v2 prompt embeddings on
# ../shared/data, pairs at cosine 0.85-0.90 are still the same task reworded ("filter out odd
# numbers from an array" in JavaScript, twice) and 8% of rows have their nearest neighbour
# there; pairs below 0.85 start to differ in substance. benchmarks/tau_calibration.py;
# benchmarks/RESULTS.md, issue 6.
TAU = 0.85
LENGTH_FULL_TOKENS = 2048  # `length` score term: log-scaled response tokens, 1 at this many

# why a row was not selected
SELECTED, TOO_SIMILAR, BUDGET, TOKEN_LIMIT, QUOTA, COVERED = range(6)

Method = Literal["deita", "kcenter", "random", "longest"]
NEEDS_EMBEDDINGS = ("deita", "kcenter")
SCORE_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SelectConfig(StageConfig):
    kind: Literal["select"] = "select"
    method: Method = "deita"
    budget: int | None = None  # rows
    token_budget: int | None = None  # conversation tokens
    tokenizer: str | None = None  # None: fast estimate; "smollm2-135m" or a local tokenizer dir
    # source -> max rows (int) or share of budget (float)
    quotas: dict[str, int | float] = Field(default_factory=dict)
    tau: float = TAU  # deita: skip rows with cosine >= tau to a selected row
    # deita ranking: a product of terms: quality (the shared score), length (response
    # tokens, log-scaled to [0, 1]) or any numeric column an earlier stage added
    score: str = "quality"

    @field_validator("budget", "token_budget")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(f"must be >= 1, got {v}")
        return v

    @field_validator("tau")
    @classmethod
    def _tau_range(cls, v: float) -> float:
        if not 0 < v <= 1:
            raise ValueError(f"tau must be in (0, 1] (a cosine similarity), got {v}")
        return v

    @field_validator("score")
    @classmethod
    def _score_terms(cls, v: str) -> str:
        terms = [t.strip() for t in v.split("*")]
        if not all(SCORE_TERM.match(t) for t in terms):
            raise ValueError(f"score {v!r}: expected terms joined by '*', e.g. 'quality*length'")
        return "*".join(terms)

    @model_validator(mode="after")
    def _limits(self) -> SelectConfig:
        if self.budget is None and self.token_budget is None and not self.quotas:
            raise ValueError("select needs a limit: budget (rows), token_budget or quotas")
        for source, quota in self.quotas.items():
            if isinstance(quota, float):
                if not 0 < quota <= 1:
                    raise ValueError(
                        f"quotas.{source} = {quota}: a fraction of budget must be in (0, 1]; "
                        "use an integer for a row count"
                    )
                if self.budget is None:
                    raise ValueError(f"quotas.{source} = {quota}: a fraction needs `budget`")
            elif quota < 0:
                raise ValueError(f"quotas.{source} = {quota}: must be >= 0")
        return self

    def check_pipeline(self, earlier: list[StageConfig]) -> None:
        if self.method in NEEDS_EMBEDDINGS and not any(s.kind == "embed" for s in earlier):
            raise ValueError(
                f"select method {self.method!r} needs an embed stage before it "
                '(add a [[stages]] table with kind = "embed" above select)'
            )

    def quota_rows(self, source: str) -> int | None:
        """Max rows for a source: its own key, or its input's key for a glob/folder input
        (sources named `input/file`)."""
        quota = self.quotas.get(source)
        if quota is None and "/" in source:
            quota = self.quotas.get(source.split("/", 1)[0])
        if quota is None:
            return None
        if isinstance(quota, float):
            assert self.budget is not None
            return math.floor(quota * self.budget)
        return quota


class Select(Stage):
    kind = "select"
    Config = SelectConfig
    config: SelectConfig
    score_columns: ClassVar[dict[str, str]] = {SCORE: SCORE}

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        columns = [self._score(frame, ctx).alias(SCORE)]
        if cfg.token_budget is not None:
            columns.append(conversation_tokens(frame, cfg.tokenizer, ctx).alias(TOKENS))
        return frame.with_columns(columns)

    def _score(self, frame: pl.DataFrame, ctx: Context) -> pl.Series:
        """What the method ranks by (copied to the ledger's scores)."""
        method = self.config.method
        if method == "longest":
            return frame.select(approx_tokens(field_text("response"))).to_series().cast(pl.Float64)
        if method == "random":
            rng = np.random.default_rng(ctx.seed)
            return pl.Series(rng.random(frame.height))
        if method == "kcenter":
            return _quality(frame)
        score = pl.Series(np.ones(frame.height))
        for term in self.config.score.split("*"):
            score = score * _score_term(frame, term)
        return score

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        n = frame.height
        if n == 0:
            return frame.with_columns(
                pl.lit(None, pl.String).alias(REASON), pl.lit(None, pl.String).alias(DETAIL)
            )
        if SCORE not in frame.columns:
            frame = self.annotate(frame, ctx)
        has_emb = EMBEDDING in frame.columns
        if cfg.method in NEEDS_EMBEDDINGS and not has_emb:
            raise ValueError(
                f"select method {cfg.method!r} needs the `embedding` column of an embed stage"
            )
        emb = embedding_matrix(frame) if has_emb else None
        score = frame[SCORE].fill_null(0.0).to_numpy().astype(np.float64)
        limits = _Limits.of(cfg, frame)

        if cfg.method == "kcenter":
            assert emb is not None
            result = kcenter(emb, score, limits)
        else:
            # ties: input order, so the result does not depend on anything but the data
            order = np.lexsort((np.arange(n), -score))
            tau = cfg.tau if cfg.method == "deita" else None
            result = greedy_in_order(order, limits, emb, tau)

        short = cfg.budget is not None and result.selected.size < cfg.budget
        if cfg.method == "deita" and short and (result.why == TOO_SIMILAR).any():
            ctx.warn(
                f"{self.name}: only {result.selected.size} rows passed tau = {cfg.tau} "
                f"(budget {cfg.budget}); lower-quality near-duplicates were not used"
            )
        for source in limits.unknown_quota_sources:
            ctx.warn(f"{self.name}: quota for {source!r} matches no source")
        neighbour, cosine = result.decider, result.decider_cos
        if emb is not None and result.selected.size:
            near, near_cos = nearest_selected(emb, result.selected)
            use = result.decider < 0
            neighbour = np.where(use, near, result.decider)
            cosine = np.where(use, near_cos, result.decider_cos)
        return frame.with_columns(
            pl.when(pl.Series(result.why) != SELECTED).then(pl.lit(REASON_CODE)).alias(REASON),
            _details(frame, cfg, result.why, score, neighbour, cosine, limits).alias(DETAIL),
        )


def _quality(frame: pl.DataFrame) -> pl.Series:
    from curate.scoring import quality_score

    return quality_score(frame)


def _score_term(frame: pl.DataFrame, term: str) -> pl.Series:
    if term == "quality":
        return _quality(frame)
    if term == "length":
        tokens = approx_tokens(field_text("response")).cast(pl.Float64)
        expr = ((tokens + 1.0).log() / math.log(1 + LENGTH_FULL_TOKENS)).clip(0.0, 1.0)
        return frame.select(expr).to_series()
    if term in frame.columns and frame.schema[term].is_numeric():
        return frame[term].cast(pl.Float64).fill_null(0.0)
    raise ValueError(
        f"select score term {term!r}: not 'quality', 'length' or a numeric column "
        f"of an earlier stage (columns: {', '.join(c for c in frame.columns if frame.schema[c].is_numeric())})"
    )


def conversation_tokens(frame: pl.DataFrame, tokenizer: str | None, ctx: Context) -> pl.Series:
    """Conversation tokens, counted as the quality stage's `too_long` rule counts them."""
    text = frame.select(field_text("conversation")).to_series()
    return count_tokens(text, tokenizer, ctx)


# --- the selection algorithms, on numpy arrays -----------------------------------------


class _Limits:
    """Row budget, token budget and per-source quotas, as arrays the loops can check."""

    def __init__(
        self,
        rows: int | None,
        tokens: np.ndarray | None,
        token_budget: int | None,
        group: np.ndarray,
        caps: np.ndarray,
        group_names: list[str],
        unknown: list[str],
    ) -> None:
        self.rows = rows if rows is not None else math.inf
        self.tokens = tokens
        self.token_budget = token_budget if token_budget is not None else math.inf
        self.group = group  # quota group of each row, -1 = no quota
        self.caps = caps
        self.group_names = group_names
        self.unknown_quota_sources = unknown

    @classmethod
    def of(cls, cfg: SelectConfig, frame: pl.DataFrame) -> _Limits:
        sources = frame["source"].to_list()
        names: list[str] = []
        caps: list[int] = []
        index: dict[str, int] = {}
        group = np.full(len(sources), -1, dtype=np.int64)
        for i, source in enumerate(sources):
            key = source if source in cfg.quotas else source.split("/", 1)[0]
            if key not in cfg.quotas:
                continue
            if key not in index:
                index[key] = len(names)
                names.append(key)
                caps.append(cfg.quota_rows(key) or 0)
            group[i] = index[key]
        unknown = [s for s in cfg.quotas if s not in index]
        tokens = frame[TOKENS].to_numpy().astype(np.int64) if TOKENS in frame.columns else None
        return cls(
            cfg.budget,
            tokens,
            cfg.token_budget,
            group,
            np.array(caps, dtype=np.int64),
            names,
            unknown,
        )

    def cost(self, i: int) -> int:
        return 0 if self.tokens is None else int(self.tokens[i])


class Selection:
    """Selected row positions (in selection order) and, per row, why it was left out."""

    def __init__(self, n: int) -> None:
        self.why = np.full(n, BUDGET, dtype=np.int8)
        self.decider = np.full(n, -1, dtype=np.int64)  # deita: the selected row that was too close
        self.decider_cos = np.full(n, np.nan, dtype=np.float32)
        self.selected = np.zeros(0, dtype=np.int64)
        self.tokens_left: float = math.inf


def greedy_in_order(
    order: np.ndarray,
    limits: _Limits,
    emb: np.ndarray | None = None,
    tau: float | None = None,
    chunk: int = 1024,
) -> Selection:
    """Walk rows in `order`, taking each one that fits the limits and (with `tau`) whose
    cosine to every selected row is below tau.

    Vectorised per chunk of candidates: one matrix product against the selection so far and
    one within the chunk; the Python loop only reads those numbers.
    """
    n = order.size
    out = Selection(n)
    chosen: list[int] = []
    counts = np.zeros(limits.caps.size, dtype=np.int64)
    tokens_left = limits.token_budget
    use_tau = tau is not None and emb is not None
    sel_emb = np.zeros((0, emb.shape[1]), dtype=np.float32) if emb is not None else None
    group, caps = limits.group.tolist(), limits.caps.tolist()
    costs = limits.tokens.tolist() if limits.tokens is not None else None

    for start in range(0, n, chunk):
        if len(chosen) >= limits.rows:
            break
        block = order[start : start + chunk]
        if use_tau:
            assert emb is not None and sel_emb is not None
            cand = emb[block]
            if sel_emb.shape[0]:
                sims = cand @ sel_emb.T
                arg = sims.argmax(axis=1)
                best_prev = sims[np.arange(block.size), arg].tolist()
                who_prev = np.asarray(chosen)[arg].tolist()
            else:
                best_prev, who_prev = [-math.inf] * block.size, [-1] * block.size
            intra = cand @ cand.T
        taken_local: list[int] = []
        for j, i in enumerate(block.tolist()):
            if len(chosen) >= limits.rows:
                break
            g = group[i]
            if g >= 0 and counts[g] >= caps[g]:
                out.why[i] = QUOTA
                continue
            cost = costs[i] if costs is not None else 0
            if cost > tokens_left:
                out.why[i] = TOKEN_LIMIT
                continue
            if use_tau:
                best, who = best_prev[j], who_prev[j]
                if taken_local:
                    row = intra[j, taken_local]
                    k = int(row.argmax())
                    if row[k] > best:
                        best, who = float(row[k]), int(block[taken_local[k]])
                if best >= tau:
                    out.why[i] = TOO_SIMILAR
                    out.decider[i] = who
                    out.decider_cos[i] = best
                    continue
            out.why[i] = SELECTED
            chosen.append(i)
            taken_local.append(j)
            if g >= 0:
                counts[g] += 1
            tokens_left -= cost
        if use_tau and taken_local:
            sel_emb = np.concatenate([sel_emb, emb[block[taken_local]]])
    out.selected = np.asarray(chosen, dtype=np.int64)
    out.tokens_left = tokens_left
    return out


def kcenter(emb: np.ndarray, score: np.ndarray, limits: _Limits) -> Selection:
    """Greedy farthest-point (Gonzalez 1985; the k-center coreset of Sener & Savarese 2018).

    Keeps each row's max cosine to the selection and updates it with one matrix-vector
    product per pick. Starts from the best-scored row; ties go to input order.
    """
    n = emb.shape[0]
    out = Selection(n)
    max_sim = np.full(n, -np.inf, dtype=np.float32)
    blocked = np.zeros(n, dtype=bool)  # selected, or its quota is full
    counts = np.zeros(limits.caps.size, dtype=np.int64)
    tokens_left = limits.token_budget
    costs = limits.tokens
    chosen: list[int] = []
    if limits.caps.size:  # a quota of 0 rows blocks its source from the start
        blocked |= np.append(limits.caps == 0, False)[limits.group]
    while len(chosen) < limits.rows:
        candidates = ~blocked
        if costs is not None:
            candidates &= costs <= tokens_left
        # the first pick is the best-scored row; then the row farthest from the selection
        key = np.where(candidates, max_sim if chosen else -score, np.inf)
        pick = int(np.argmin(key))
        if not candidates[pick]:
            break
        chosen.append(pick)
        out.why[pick] = SELECTED
        blocked[pick] = True
        np.maximum(max_sim, emb @ emb[pick], out=max_sim)
        tokens_left -= 0 if costs is None else int(costs[pick])
        g = int(limits.group[pick])
        if g >= 0:
            counts[g] += 1
            if counts[g] >= limits.caps[g]:
                blocked |= limits.group == g
    # rows that never got picked: say which limit kept them out
    rest = out.why != SELECTED
    if limits.caps.size:
        full = np.append(counts >= limits.caps, False)[limits.group]  # group -1 -> False
        out.why[rest & full] = QUOTA
    if costs is not None:
        out.why[rest & (out.why != QUOTA) & (costs > tokens_left)] = TOKEN_LIMIT
    out.why[rest & (out.why == BUDGET)] = COVERED
    out.selected = np.asarray(chosen, dtype=np.int64)
    out.tokens_left = tokens_left
    return out


def nearest_selected(
    emb: np.ndarray, selected: np.ndarray, block: int = 8192
) -> tuple[np.ndarray, np.ndarray]:
    """For every row, the selected row with the highest cosine (a selected row: itself)."""
    n = emb.shape[0]
    near = np.empty(n, dtype=np.int64)
    cos = np.empty(n, dtype=np.float32)
    sel = emb[selected]
    for start in range(0, n, block):
        sims = emb[start : start + block] @ sel.T
        arg = sims.argmax(axis=1)
        near[start : start + block] = selected[arg]
        cos[start : start + block] = sims[np.arange(arg.size), arg]
    return near, cos


def _details(
    frame: pl.DataFrame,
    cfg: SelectConfig,
    why: np.ndarray,
    score: np.ndarray,
    neighbour: np.ndarray,
    cosine: np.ndarray,
    limits: _Limits,
) -> pl.Series:
    """One short sentence per unselected row: the score, the limit, the nearest selected row."""
    score_name = {"deita": cfg.score, "kcenter": "quality", "random": "random key"}.get(
        cfg.method, "response tokens"
    )
    where = frame.select(pl.format("{}:{}", "source", "row")).to_series()
    quota_text = [
        f"quota of {name!r} full ({cfg.quota_rows(name)} rows)" for name in limits.group_names
    ]
    parts = pl.DataFrame(
        {
            "why": why,
            "score": score,
            "near": where.gather(np.where(neighbour >= 0, neighbour, 0)),
            "has_near": neighbour >= 0,
            "cos": cosine.astype(np.float64),
            "quota": pl.Series(quota_text, dtype=pl.String).gather(np.maximum(limits.group, 0))
            if quota_text
            else pl.repeat(None, frame.height, dtype=pl.String, eager=True),
        }
    )
    value = (
        pl.col("score").round(0).cast(pl.Int64)
        if cfg.method == "longest"
        else pl.col("score").round(3)
    )
    cos = pl.col("cos").round(3).cast(pl.String)
    budget_text = (
        f"budget of {cfg.budget} rows filled" if cfg.budget is not None else "no row left that fits"
    )
    reason = (
        pl.when(pl.col("why") == TOO_SIMILAR)
        .then(pl.format("cosine {} >= tau {} to selected {}", cos, pl.lit(cfg.tau), "near"))
        .when(pl.col("why") == QUOTA)
        .then(pl.col("quota"))
        .when(pl.col("why") == TOKEN_LIMIT)
        .then(pl.lit(f"does not fit the tokens left of token_budget {cfg.token_budget}"))
        .when(pl.col("why") == COVERED)
        .then(pl.lit("within the k-center radius of the selection"))
        .otherwise(pl.lit(budget_text))
    )
    near = (
        pl.when(pl.col("has_near") & (pl.col("why") != TOO_SIMILAR))
        .then(pl.format("; nearest selected {} (cosine {})", "near", cos))
        .otherwise(pl.lit(""))
    )
    text = pl.format("{} {}; {}{}", pl.lit(score_name), value, reason, near)
    return parts.select(pl.when(pl.col("why") != SELECTED).then(text)).to_series()
