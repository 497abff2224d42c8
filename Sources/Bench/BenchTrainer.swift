import Foundation
func runTrainerBench(_ args: [String]) {
    FileHandle.standardError.write("trainer benchmark not built yet\n".data(using: .utf8)!)
    exit(2)
}
