package io.checkedmqtt.bench;

/** The heap a measurement tool's data structures hold: the used heap after full collections. */
final class HeapUse {

    private HeapUse() {
    }

    /** The least used heap seen over five full collections (a collection may leave some garbage behind). */
    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
