/**
 * java.util.TreeSet's red-black tree (TreeMap's put and fixAfterInsertion), kept exact because Kafka Streams'
 * describe() inserts nodes into TreeSets with a comparator whose answers change while it inserts (it compares
 * sub-tree sizes that are still growing): which path an insertion takes, and so the final iteration order,
 * depends on the tree's shape. Rotations keep the in-order sequence; only the comparisons made on the way down
 * decide where a new element lands.
 */
interface Entry<T> {
  readonly value: T;
  left: Entry<T> | null;
  right: Entry<T> | null;
  parent: Entry<T> | null;
  black: boolean;
}

export class JavaTreeSet<T> {
  private root: Entry<T> | null = null;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** TreeMap#put: walks down comparing with the comparator as it answers now; equal (0) means already present. */
  add(value: T): boolean {
    let t = this.root;
    if (t === null) {
      this.root = { value, left: null, right: null, parent: null, black: true };
      return true;
    }
    let parent: Entry<T>;
    let cmp: number;
    do {
      parent = t;
      cmp = this.compare(value, t.value);
      if (cmp < 0) t = t.left;
      else if (cmp > 0) t = t.right;
      else return false;
    } while (t !== null);
    const e: Entry<T> = { value, left: null, right: null, parent, black: false };
    if (cmp < 0) parent.left = e;
    else parent.right = e;
    this.fixAfterInsertion(e);
    return true;
  }

  /** In-order (ascending) iteration, as TreeSet's iterator. */
  *[Symbol.iterator](): IterableIterator<T> {
    const stack: Entry<T>[] = [];
    let e = this.root;
    while (e !== null || stack.length > 0) {
      while (e !== null) {
        stack.push(e);
        e = e.left;
      }
      const top = stack.pop()!;
      yield top.value;
      e = top.right;
    }
  }

  private fixAfterInsertion(x: Entry<T>): void {
    let n = x;
    n.black = false;
    // A red node's parent is never the (black) root, so the grandparent below always exists.
    while (n !== this.root && !n.parent!.black) {
      const p = n.parent!;
      const g = p.parent!;
      if (p === g.left) {
        const y = g.right;
        if (y !== null && !y.black) {
          p.black = true;
          y.black = true;
          g.black = false;
          n = g;
        } else {
          if (n === p.right) {
            n = p;
            this.rotateLeft(n);
          }
          n.parent!.black = true;
          n.parent!.parent!.black = false;
          this.rotateRight(n.parent!.parent!);
        }
      } else {
        const y = g.left;
        if (y !== null && !y.black) {
          p.black = true;
          y.black = true;
          g.black = false;
          n = g;
        } else {
          if (n === p.left) {
            n = p;
            this.rotateRight(n);
          }
          n.parent!.black = true;
          n.parent!.parent!.black = false;
          this.rotateLeft(n.parent!.parent!);
        }
      }
    }
    this.root!.black = true;
  }

  private rotateLeft(p: Entry<T>): void {
    const r = p.right!;
    p.right = r.left;
    if (r.left !== null) r.left.parent = p;
    r.parent = p.parent;
    if (p.parent === null) this.root = r;
    else if (p.parent.left === p) p.parent.left = r;
    else p.parent.right = r;
    r.left = p;
    p.parent = r;
  }

  private rotateRight(p: Entry<T>): void {
    const l = p.left!;
    p.left = l.right;
    if (l.right !== null) l.right.parent = p;
    l.parent = p.parent;
    if (p.parent === null) this.root = l;
    else if (p.parent.right === p) p.parent.right = l;
    else p.parent.left = l;
    l.right = p;
    p.parent = l;
  }
}
