"""A posterior as plain data: summary, draws, and how much of an outcome's spread it explains.

`write_results` turns a finished pyabc run into files (particles and weights as Parquet, the fit
per target, diagnostics); `ship` writes the small summary committed in `calibration/posterior/`
(central values, 90% intervals, a few hundred draws, the code fingerprint); `load_posterior` reads
either back and warns when the model code has changed since. How much of an outcome's spread the
parameters explain is in `simulation.analysis.draws`.
"""

from __future__ import annotations

import json
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.provenance import code_fingerprint

#: the shipped posterior (small, committed)
SHIPPED = Path(__file__).resolve().parent.parent.parent / "calibration" / "posterior"
LEVEL = 0.90


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """Quantile of weighted values (midpoint rule on the cumulative weights)."""
    order = np.argsort(x)
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, x))


def summarize(particles: pd.DataFrame, parameters: list[str], level: float = LEVEL) -> pd.DataFrame:
    """Per parameter: weighted mean, median and the central `level` interval."""
    w = particles["weight"].to_numpy()
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for p in parameters:
        x = particles[p].to_numpy()
        rows.append(
            {
                "parameter": p,
                "mean": float(np.sum(w * x) / w.sum()),
                "median": weighted_quantile(x, w, 0.5),
                "low": weighted_quantile(x, w, lo),
                "high": weighted_quantile(x, w, hi),
            }
        )
    return pd.DataFrame(rows)


def resample(particles: pd.DataFrame, parameters: list[str], n: int, seed: int) -> pd.DataFrame:
    """`n` equally weighted draws from weighted particles (multinomial resampling, seeded)."""
    w = particles["weight"].to_numpy(dtype=float)
    idx = np.random.default_rng(seed).choice(len(particles), size=n, replace=True, p=w / w.sum())
    draws = particles.iloc[idx][parameters].reset_index(drop=True)
    draws.insert(0, "draw", np.arange(n))
    return draws


def fit_table(predictive: pd.DataFrame, targets: list[Any], level: float = LEVEL) -> pd.DataFrame:
    """Per target: the observed value and its sd, and the weighted simulated mean with its interval."""
    w = predictive["weight"].to_numpy()
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for t in targets:
        x = predictive[t.key].to_numpy(dtype=float)
        ok = np.isfinite(x)
        rows.append(
            {
                "target": t.key,
                "use": t.use,
                "observed": t.value,
                "sd": t.sd,
                "simulated": float(np.sum(w[ok] * x[ok]) / w[ok].sum()) if ok.any() else np.nan,
                "low": weighted_quantile(x[ok], w[ok], lo) if ok.any() else np.nan,
                "high": weighted_quantile(x[ok], w[ok], hi) if ok.any() else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["z"] = (table["simulated"] - table["observed"]) / table["sd"]
    return table


# --- the shipped summary -----------------------------------------------------------------------


def ship(results: Path, dest: Path = SHIPPED, draws: int = 200, seed: int = 1) -> Path:
    """Write the small summary of a calibration in `results` to `dest` (meant to be committed)."""
    manifest = json.loads((results / "manifest.json").read_text())
    particles = pd.read_parquet(results / "posterior.parquet")
    parameters = manifest["parameters"]
    dest.mkdir(parents=True, exist_ok=True)
    summarize(particles, parameters).to_csv(dest / "summary.csv", index=False, float_format="%.6g")
    resample(particles, parameters, draws, seed).to_csv(dest / "draws.csv", index=False, float_format="%.6g")
    for name in ("diagnostics.csv", "fit.csv"):
        shutil.copyfile(results / name, dest / name)
    info = {
        k: manifest[k]
        for k in (
            "command",
            "code_fingerprint",
            "parameters",
            "priors",
            "targets",
            "settings",
            "seconds",
            "finished",
            "generation_used",
        )
        if k in manifest
    }
    info["draws"] = draws
    (dest / "posterior.json").write_text(json.dumps(info, indent=2) + "\n")
    return dest


@dataclass
class Posterior:
    """A posterior's draws and summary, read from a results folder or the shipped summary."""

    folder: Path
    draws: pd.DataFrame  # one row per draw: draw, then one column per parameter
    summary: pd.DataFrame
    fingerprint: str

    @property
    def parameters(self) -> list[str]:
        return [c for c in self.draws.columns if c != "draw"]

    def central(self) -> dict[str, float]:
        """The posterior medians, by parameter."""
        return dict(zip(self.summary["parameter"], self.summary["median"], strict=True))

    def sample(self, n: int) -> list[dict[str, float]]:
        """The first `n` draws, as parameter changes. More than the posterior holds is refused:
        repeating draws would make the parameter uncertainty look smaller than it is."""
        if not 1 <= n <= len(self.draws):
            raise ValueError(f"{self.folder}: asked for {n} draws; the posterior holds {len(self.draws)}")
        rows = [self.draws.iloc[i] for i in range(n)]
        return [{p: float(r[p]) for p in self.parameters} for r in rows]

    def code_changed(self) -> bool:
        return bool(self.fingerprint) and self.fingerprint != code_fingerprint()


def load_posterior(folder: Path | str = SHIPPED, warn: bool = True) -> Posterior:
    """Read a shipped summary (draws.csv, summary.csv, posterior.json) or a calibration's results
    folder (posterior.parquet, manifest.json); warn when the model code has changed since."""
    folder = Path(folder)
    if (folder / "draws.csv").is_file():
        info = json.loads((folder / "posterior.json").read_text())
        draws = pd.read_csv(folder / "draws.csv")
        summary = pd.read_csv(folder / "summary.csv")
    elif (folder / "posterior.parquet").is_file():
        info = json.loads((folder / "manifest.json").read_text())
        particles = pd.read_parquet(folder / "posterior.parquet")
        draws = resample(particles, info["parameters"], 200, 1)
        summary = summarize(particles, info["parameters"])
    else:
        raise FileNotFoundError(f"{folder}: no posterior here (draws.csv or posterior.parquet)")
    post = Posterior(folder, draws, summary, str(info.get("code_fingerprint", "")))
    if warn and post.code_changed():
        warnings.warn(
            f"the posterior in {folder} was made with model code {post.fingerprint}; the code is now "
            f"{code_fingerprint()}: recalibrate (snf calibrate) before relying on it",
            stacklevel=2,
        )
    return post
