import CSystem
import Foundation

/// How many CPUs mab may use: the online ones, fewer when the process is confined to a
/// subset (taskset, a cpuset cgroup) — as `nproc` counts them.
public enum CPUs {
    public static var available: Int {
        let online = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let allowed = Int(mab_affinity_cpus())
        return allowed > 0 ? min(online, allowed) : online
    }
}
