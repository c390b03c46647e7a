/** The simulator's nft side: evaluates nft text parsed by grammar/nft (never the compiler's IR). */
export { nftSide, type NftSide, type NftSideOptions } from "./side.js";
export { nftBoundaryValues, type NftBoundaries } from "./boundary.js";
