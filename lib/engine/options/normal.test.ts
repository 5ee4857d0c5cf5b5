import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "./normal";

/**
 * Reference values: Φ(x) and φ(x) to 20 significant digits, computed with mpmath 1.3.0 at 50 digits
 * (mpmath.ncdf, mpmath.npdf; mp.dps = 50), pasted here.
 */
const CDF: readonly [number, number][] = [
  [-37, 5.7255712225245768227e-300],
  [-30, 4.9067139271481870595e-198],
  [-20, 2.7536241186062336951e-89],
  [-12, 1.7764821120776789977e-33],
  [-8, 6.2209605742717841235e-16],
  [-6, 9.865876450376981407e-10],
  [-5.5, 1.8989562465887719384e-8],
  [-5, 2.8665157187919391167e-7],
  [-4.5, 3.3976731247300604017e-6],
  [-4, 0.000031671241833119921254],
  [-3.5, 0.00023262907903552503635],
  [-3, 0.0013498980316300945267],
  [-2.5, 0.006209665325776135167],
  [-2, 0.0227501319481792072],
  [-1.75, 0.040059156863817090419],
  [-1.5, 0.066807201268858066004],
  [-1.25, 0.10564977366685525769],
  [-1, 0.15865525393145705141],
  [-0.9, 0.18406012534675948265],
  [-0.8, 0.21185539858339667271],
  [-0.7, 0.24196365222307302862],
  [-0.6744, 0.25002852137294061469],
  [-0.6, 0.27425311775007358769],
  [-0.5, 0.30853753872598689636],
  [-0.4, 0.34457825838967582509],
  [-0.3, 0.38208857781104736693],
  [-0.2, 0.42074029056089697262],
  [-0.1, 0.46017216272297101633],
  [-0.001, 0.49960105778608893741],
  [-1e-10, 0.49999999996010577196],
  [0, 0.5],
  [1e-10, 0.50000000003989422804],
  [0.001, 0.50039894221391106259],
  [0.1, 0.53982783727702898367],
  [0.2, 0.57925970943910302738],
  [0.3, 0.61791142218895263307],
  [0.4, 0.65542174161032417491],
  [0.5, 0.69146246127401310364],
  [0.6, 0.72574688224992641231],
  [0.6744, 0.74997147862705938531],
  [0.7, 0.75803634777692697138],
  [0.8, 0.78814460141660332729],
  [0.9, 0.81593987465324051735],
  [1, 0.84134474606854294859],
  [1.25, 0.89435022633314474231],
  [1.5, 0.933192798731141934],
  [1.75, 0.95994084313618290958],
  [2, 0.9772498680518207928],
  [2.5, 0.99379033467422386483],
  [3, 0.99865010196836990547],
  [3.5, 0.99976737092096447496],
  [4, 0.99996832875816688008],
  [4.5, 0.99999660232687526994],
  [5, 0.99999971334842812081],
  [5.5, 0.99999998101043753411],
  [5.6, 0.99999998928240974169],
  [5.7, 0.99999999400962859894],
  [6, 0.99999999901341235496],
  [7, 0.99999999999872018746],
  [8, 0.9999999999999993779],
];
const PDF: readonly [number, number][] = [
  [-10, 7.6945986267064193463e-23],
  [-3, 0.0044318484119380071756],
  [-1, 0.2419707245191433498],
  [0, 0.39894228040143267794],
  [0.5, 0.35206532676429947777],
  [2, 0.053990966513188051951],
  [5, 1.4867195147342977079e-6],
];

/** Relative error where Φ is small (x < 0), absolute where Φ is near 1 (only absolute error is meaningful there). */
function cdfError(x: number, reference: number): number {
  const got = normalCdf(x);
  return x < 0 ? Math.abs(got - reference) / reference : Math.abs(got - reference);
}

describe("normalCdf (Cody's rational approximation)", () => {
  it("equals 50-digit references to 1e-14 at 60 points from −37 to 8", () => {
    const errors = CDF.map(([x, reference]) => cdfError(x, reference));
    const worst = Math.max(...errors);
    console.log(`normalCdf: worst error vs mpmath over ${CDF.length} points = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-14);
  });

  it("is symmetric: Φ(x) + Φ(−x) = 1 to 1e-15, and monotone", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, step) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThanOrEqual(1e-15);
        expect(normalCdf(x + step)).toBeGreaterThanOrEqual(normalCdf(x));
      }),
      { seed: 23, numRuns: 2000 },
    );
  });

  it("is 0 and 1 in the far tails, 0.5 at 0, NaN for NaN", () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe("normalPdf", () => {
  it("equals 50-digit references to a relative 1e-14", () => {
    for (const [x, reference] of PDF) expect(Math.abs(normalPdf(x) - reference) / reference).toBeLessThan(1e-14);
  });
});
