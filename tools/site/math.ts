import katex from "katex";

/**
 * Markdown with TeX math: $…$ and $$…$$ are cut out before markdown parsing (so that "_" and "*"
 * inside formulas are not taken for emphasis), rendered with KaTeX to HTML at build time, and put
 * back. Code spans and fenced blocks are left alone; \$ is a literal dollar.
 */
export interface MathSplit {
  text: string;
  formulas: { tex: string; display: boolean }[];
}

// Private-use characters: markdown-it keeps them (it replaces NUL, as CommonMark requires).
export const PLACEHOLDER = (i: number) => `\uE000MATH${i}\uE001`;

export function extractMath(md: string): MathSplit {
  const formulas: MathSplit["formulas"] = [];
  let out = "";
  let i = 0;
  while (i < md.length) {
    // fenced code block
    if ((i === 0 || md[i - 1] === "\n") && md.startsWith("```", i)) {
      const end = md.indexOf("\n```", i + 3);
      const stop = end < 0 ? md.length : md.indexOf("\n", end + 4) < 0 ? md.length : md.indexOf("\n", end + 4);
      out += md.slice(i, stop);
      i = stop;
      continue;
    }
    const ch = md[i];
    if (ch === "`") {
      let n = 0;
      while (md[i + n] === "`") n++;
      const fence = "`".repeat(n);
      const end = md.indexOf(fence, i + n);
      const stop = end < 0 ? i + n : end + n;
      out += md.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "\\" && md[i + 1] === "$") {
      out += "\\$";
      i += 2;
      continue;
    }
    if (ch === "$") {
      const display = md[i + 1] === "$";
      const open = display ? 2 : 1;
      const close = display ? md.indexOf("$$", i + 2) : findInlineClose(md, i + 1);
      if (close > i + open - 1) {
        formulas.push({ tex: md.slice(i + open, close), display });
        out += PLACEHOLDER(formulas.length - 1);
        i = close + open;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, formulas };
}

function findInlineClose(md: string, from: number): number {
  for (let j = from; j < md.length; j++) {
    if (md[j] === "\\") {
      j++;
      continue;
    }
    if (md[j] === "\n" && md[j + 1] === "\n") return -1; // math does not span paragraphs
    if (md[j] === "$") return j > from ? j : -1;
  }
  return -1;
}

export function renderFormula(tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    output: "htmlAndMathml",
    strict: "ignore",
  });
}

export function restoreMath(html: string, formulas: MathSplit["formulas"]): string {
  return html.replace(/\uE000MATH(\d+)\uE001/g, (_, k) => {
    const f = formulas[Number(k)];
    return renderFormula(f.tex, f.display);
  });
}

const TEX_SYMBOLS: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  eta: "η",
  theta: "θ",
  kappa: "κ",
  lambda: "λ",
  mu: "μ",
  nu: "ν",
  xi: "ξ",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  tau: "τ",
  phi: "φ",
  varphi: "φ",
  chi: "χ",
  psi: "ψ",
  omega: "ω",
  Gamma: "Γ",
  Delta: "Δ",
  Lambda: "Λ",
  Sigma: "Σ",
  Phi: "Φ",
  Omega: "Ω",
  langle: "⟨",
  rangle: "⟩",
  le: "≤",
  leq: "≤",
  ge: "≥",
  geq: "≥",
  ne: "≠",
  neq: "≠",
  to: "→",
  infty: "∞",
  cdot: "·",
  times: "×",
  pm: "±",
  approx: "≈",
  sim: "∼",
  in: "∈",
  partial: "∂",
  nabla: "∇",
  ",": " ",
  ";": " ",
  quad: " ",
};
const SUB: Record<string, string> = {
  "0": "₀",
  "1": "₁",
  "2": "₂",
  "3": "₃",
  "4": "₄",
  "5": "₅",
  "6": "₆",
  "7": "₇",
  "8": "₈",
  "9": "₉",
  t: "ₜ",
  i: "ᵢ",
  j: "ⱼ",
  k: "ₖ",
  n: "ₙ",
  "+": "₊",
  "-": "₋",
};
const SUP: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  n: "ⁿ",
  "+": "⁺",
  "-": "⁻",
  "*": "*",
  T: "ᵀ",
};

/**
 * Plain text for a title that contains TeX ($…$): for a browser tab or any place without math
 * rendering. Greek letters and common symbols become Unicode, single-character sub- and
 * superscripts become Unicode sub/superscripts where one exists; anything else loses its markup.
 */
export function texToPlainText(src: string): string {
  return src.replace(/\$\$?([^$]+)\$\$?/g, (_, tex: string) =>
    tex
      .replace(/\\(?:mathrm|mathbf|mathbb|mathcal|operatorname|text)\{([^}]*)\}/g, "$1")
      // a control word swallows the spaces before a letter or digit after it (TeX swallows all)
      .replace(
        /\\([A-Za-z]+)(?:\s+(?=[A-Za-z0-9]))?|\\([,;])/g,
        (m, word: string | undefined, sym: string | undefined) => TEX_SYMBOLS[word ?? sym ?? ""] ?? word ?? " ",
      )
      .replace(/([_^])\{([^}]*)\}/g, (m, op: string, body: string) => map(op, body))
      .replace(/([_^])(.)/g, (m, op: string, ch: string) => map(op, ch))
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
  function map(op: string, body: string): string {
    const table = op === "_" ? SUB : SUP;
    return [...body].every((c) => table[c]) ? [...body].map((c) => table[c]).join("") : (op === "_" ? "_" : "^") + body;
  }
}
