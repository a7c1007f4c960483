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
    if (md[j] === "\\") { j++; continue; }
    if (md[j] === "\n" && md[j + 1] === "\n") return -1; // math does not span paragraphs
    if (md[j] === "$") return j > from ? j : -1;
  }
  return -1;
}

export function renderFormula(tex: string, display: boolean): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: "htmlAndMathml", strict: "ignore" });
}

export function restoreMath(html: string, formulas: MathSplit["formulas"]): string {
  return html.replace(/\uE000MATH(\d+)\uE001/g, (_, k) => {
    const f = formulas[Number(k)];
    return renderFormula(f.tex, f.display);
  });
}
