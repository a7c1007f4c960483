export { pivotedQr } from "./linalg/pivoted-qr";
export type { PivotedQr } from "./linalg/pivoted-qr";
export { SymmetricEigen, symmetricEigenvalues, requireSymmetric } from "./linalg/symmetric-eigen";
export { orthonormalizeColumns } from "./linalg/gram-schmidt";
export { choleskyInPlace, choleskySolve, choleskyInverse } from "./linalg/cholesky";
export { gaussQuadrature } from "./linalg/gauss-quadrature";
export { tridiagonalEigenvalues, tridiagonalEigenvector, sturmCount } from "./linalg/tridiagonal-eigen";
export { gramMatrix } from "./linalg/gram";
