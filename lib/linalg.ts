export { pivotedQr } from "./linalg/pivoted-qr";
export type { PivotedQr } from "./linalg/pivoted-qr";
