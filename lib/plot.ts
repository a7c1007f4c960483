export { figure, line, points, densityHistogram, plotText } from "./plot/figure";
export type { Figure, Trace, Layout, AxesOptions, Numeric } from "./plot/figure";
export {
  figureHtml,
  plotlyLibraryHtml,
  plotlyBundlePath,
  scriptJson,
  hash32,
  plotlyJson,
  PLOTLY_LIBRARY_ATTRIBUTE,
  PLOTLY_MIME,
  STATIC_IMAGE_CLASS,
} from "./plot/html";
export { show, showBundle, progressLine } from "./plot/display";
export type { ProgressLine } from "./plot/display";
