import Foundation
func runFitBench(_ args: [String]) {
    FileHandle.standardError.write("fit benchmark not built yet\n".data(using: .utf8)!)
    exit(2)
}
