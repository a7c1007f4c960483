export { sgdFlow } from "./optim/sgd";
