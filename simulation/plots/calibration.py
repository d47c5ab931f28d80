"""Figures of a calibration: marginals against priors, pairs of parameters, the fit per target."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.plots.style import apply_style


def _short(path: str) -> str:
    return path.split(".")[-1]


def marginals_figure(particles: pd.DataFrame, priors: list, path: Path, columns: int = 4) -> Path:
    """Each parameter's weighted posterior histogram over its prior density, a few to a row; a
    log-uniform prior is drawn over log10 of the value, where it is flat."""
    apply_style()
    n = len(priors)
    cols = min(columns, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    w = particles["weight"].to_numpy()
    for ax, prior in zip(axes.flat, priors, strict=False):
        x = np.array([prior.to_abc(float(v)) for v in particles[prior.path]])
        low, high = prior.to_abc(prior.low), prior.to_abc(prior.high)
        title = f"log10 {_short(prior.path)}" if prior.kind == "loguniform" else _short(prior.path)
        bins = np.linspace(low, high, 16)
        ax.hist(x, bins=bins, weights=w, density=True, color="#0072B2", alpha=0.7, label="posterior")
        ax.plot([low, high], [1 / (high - low)] * 2, color="#7F7F7F", lw=2, ls="--", label="prior")
        ax.set_title(title, fontsize=9)
        ax.set_yticks([])
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes[0][0].legend(fontsize=7)
    fig.suptitle("Posterior (bars) against prior (dashed)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def pairs_figure(particles: pd.DataFrame, parameters: list[str], path: Path) -> Path:
    """Scatter of every pair of parameters, point size by weight."""
    apply_style()
    n = len(parameters)
    fig, axes = plt.subplots(n, n, figsize=(2.1 * n, 2.1 * n), squeeze=False)
    size = 200 * particles["weight"].to_numpy() / particles["weight"].max()
    for i, a in enumerate(parameters):
        for j, b in enumerate(parameters):
            ax = axes[i][j]
            if i == j:
                ax.hist(particles[a], weights=particles["weight"], bins=12, color="#0072B2", alpha=0.7)
            elif i > j:
                ax.scatter(particles[b], particles[a], s=size, alpha=0.5, color="#0072B2")
            else:
                ax.axis("off")
            if i == n - 1:
                ax.set_xlabel(_short(b), fontsize=7)
            if j == 0 and i > 0:
                ax.set_ylabel(_short(a), fontsize=7)
            ax.tick_params(labelsize=6)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def fit_figure(fit: pd.DataFrame, path: Path) -> Path:
    """Per target: observed value with +-2 sd, and the posterior's simulated 90% interval."""
    apply_style()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(fit)))
    y = np.arange(len(fit))[::-1]
    z_obs = np.zeros(len(fit))
    z_low = (fit["low"] - fit["observed"]) / fit["sd"]
    z_high = (fit["high"] - fit["observed"]) / fit["sd"]
    z_sim = fit["z"]
    ax.axvspan(-2, 2, color="#7F7F7F", alpha=0.15, label="target +- 2 sd")
    ax.scatter(z_obs, y, marker="|", s=200, color="#000000")
    ax.hlines(y, z_low, z_high, color="#0072B2", lw=3, label="simulated, 90% interval")
    ax.scatter(z_sim, y, color="#0072B2", zorder=3)
    ax.set_yticks(y, [f"{t} ({u})" for t, u in zip(fit["target"], fit["use"], strict=True)], fontsize=8)
    ax.set_xlabel("(simulated - observed) / sd of the target")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Fit of the calibrated model per target", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
