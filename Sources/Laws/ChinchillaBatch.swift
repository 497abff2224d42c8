/// The Chinchilla residuals and Jacobian over all observations, four at a time with
/// `FastExpLog`: the Huber fit's inner loop (4,500 starts x ~130 passes x 240 observations).
///
/// Why relative to E: with t1 = u1 - e, t2 = u2 - e (u1 = a - alpha log N, u2 = b - beta log D),
/// log L = e + log(1 + e^t1 + e^t2). The third term is exactly 1, so each observation costs two
/// exps and one log instead of three exps and a log, and the sum is >= 1, so the log never sees
/// 0 and the softmax weights e^tk / s are exact to rounding. It can only overflow, when some
/// t > 700 (the stable max-shifted form handles that rare trial point, observation by observation).
extension ChinchillaLaw {
    public func preparedResidualsAndJacobian(_ theta: UnsafePointer<Double>, columns: UnsafePointer<Double>,
                                             targets: UnsafePointer<Double>, count: Int,
                                             residuals: UnsafeMutablePointer<Double>,
                                             jacobian: UnsafeMutablePointer<Double>) {
        typealias V = FastExpLog.Vector
        let a = theta[0], b = theta[1], e = theta[2], alpha = theta[3], beta = theta[4]
        let logN = columns, logD = columns + count
        let outputs = (0..<5).map { jacobian + $0 * count }
        var overflow = SIMDMask<SIMD4<Int64>>(repeating: false)

        /// Observations i..<i+lanes (lanes <= 4; a short last group is padded with its first one).
        @inline(__always) func group(_ i: Int, _ lanes: Int) {
            func load(_ p: UnsafePointer<Double>) -> V {
                lanes == 4 ? UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
                    : V((0..<4).map { p[i + min($0, lanes - 1)] })
            }
            func store(_ v: V, _ p: UnsafeMutablePointer<Double>) {
                if lanes == 4 { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self) }
                else { for l in 0..<lanes { p[i + l] = v[l] } }
            }
            let n = load(logN), d = load(logD)
            let t1 = (a - alpha * n) - e, t2 = (b - beta * d) - e
            overflow .|= (t1 .> 700) .| (t2 .> 700)
            let e1 = FastExpLog.exp(t1), e2 = FastExpLog.exp(t2)
            let s = 1 + e1 + e2
            let inv = 1 / s
            let w1 = e1 * inv, w2 = e2 * inv
            store((e + FastExpLog.log(s)) - load(targets), residuals)
            store(w1, outputs[0])
            store(w2, outputs[1])
            store(inv, outputs[2])
            store(-w1 * n, outputs[3])
            store(-w2 * d, outputs[4])
        }
        var i = 0
        while i + 4 <= count {
            group(i, 4)
            i += 4
        }
        if i < count { group(i, count - i) }
        if any(overflow) {
            residualsAndJacobianByObservation(theta, columns: columns, targets: targets, count: count,
                                              residuals: residuals, jacobian: jacobian)
        }
    }
}
