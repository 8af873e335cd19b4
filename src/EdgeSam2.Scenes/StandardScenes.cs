namespace EdgeSam2.Scenes;

/// <summary>
/// The named scenes tests and the demo share. Every number that defines them is here, so a test that needs
/// one (an occlusion interval, a start point) reads it from these constants rather than repeating it.
/// </summary>
public static class StandardScenes
{
    /// <summary>Red of the red targets and of their same-coloured distractors.</summary>
    public static readonly Rgb Red = new(220, 40, 40);

    /// <summary>Blue of the square target.</summary>
    public static readonly Rgb Blue = new(40, 60, 220);

    /// <summary>
    /// 512×384, 60 frames at 10 fps. Target 1, a red disc of radius 36, starts at (70, 110) and moves right at
    /// +7 px/frame. A static red disc of the same size sits at (80, 320), below the target's start, so a tracker
    /// that searches the whole frame (or an old position) finds it. A grey bar covers x ∈ [220, 310) over the full
    /// height: the target is partly hidden from frame 17, fully hidden for frames 27–29 (centre x in [259, 273])
    /// and visible again, partly, from frame 30. From frame 58 it starts to leave the frame on the right.
    /// </summary>
    public static SceneSpec OccludedTarget() => new()
    {
        Width = Occluded.Width,
        Height = Occluded.Height,
        FrameCount = Occluded.FrameCount,
        FramesPerSecond = Occluded.FramesPerSecond,
        Seed = Occluded.Seed,
        Objects = [new SceneObject(Occluded.TargetId, SceneShape.Disc, Red, Occluded.Radius, new Trajectory(Occluded.Start, Occluded.Velocity))],
        Distractors = [new Distractor(SceneShape.Disc, Red, Occluded.Radius, Occluded.DistractorAt)],
        Occluders = [new Occluder(Occluded.Bar, Occluder.Grey)],
    };

    /// <summary>
    /// The bench's one-object scene (src/EdgeSam2.Bench/Scenes/GridScene.cs with one object), for the tracker alone:
    /// 512×384, 150 frames at 25 fps. Target 1, a red disc of radius 36, starts at (40, 192) and moves right at
    /// 432/149 ≈ 2.9 px/frame. A grey bar covers x ∈ [216, 296) over the full height, wider than the disc by two frames'
    /// travel: the disc is partly hidden from frame 49, less than half visible from frame 61, fully hidden on frames
    /// 73–75, at least half visible again from frame 89 and whole from frame 101. Unlike <see cref="OccludedTarget"/>,
    /// the occlusion is slow: for about a dozen frames on each side only a sliver (under a quarter) shows.
    /// </summary>
    public static SceneSpec SlowBar() => new()
    {
        Width = Slow.Width,
        Height = Slow.Height,
        FrameCount = Slow.FrameCount,
        FramesPerSecond = Slow.FramesPerSecond,
        Seed = Slow.Seed,
        Objects = [new SceneObject(Slow.TargetId, SceneShape.Disc, Red, Slow.Radius, new Trajectory(Slow.Start, Slow.Velocity))],
        Occluders = [new Occluder(Slow.Bar, Occluder.Grey)],
    };

    /// <summary>
    /// The bench's one-object scene at its 3000-frame speed (GridScene's with one object: 432/2999 ≈ 0.144 px/frame, a
    /// 75-px bar x ∈ [218, 293)), for the tracker alone and shortened: 512×384, 860 frames at 25 fps. Target 1, a red disc
    /// of radius 36, starts where the bench's does, (40, 192), is carried to (176, 192) by frame 20 (6.8 px/frame, so the
    /// prompt's memory lies as far behind the bar as the bench's), then creeps right at the bench's speed: partly hidden
    /// from frame 62, fully hidden on frames 555–582, at least half visible again from frame 829. The occlusion is very
    /// slow: the disc shrinks to a sliver over 500 frames and grows back as slowly, so every frame's mask is nearly the
    /// last one's.
    /// </summary>
    public static SceneSpec CreepingBar() => new()
    {
        Width = Creeping.Width,
        Height = Creeping.Height,
        FrameCount = Creeping.FrameCount,
        FramesPerSecond = Creeping.FramesPerSecond,
        Seed = Creeping.Seed,
        Objects =
        [
            new SceneObject(Creeping.TargetId, SceneShape.Disc, Red, Creeping.Radius, Trajectory.Through(
                new Waypoint(0, Creeping.Start.X, Creeping.Start.Y),
                new Waypoint(Creeping.CreepFrame, Creeping.CreepFrom.X, Creeping.CreepFrom.Y),
                new Waypoint(Creeping.FrameCount - 1, Creeping.CreepFrom.X + (Creeping.Speed * (Creeping.FrameCount - 1 - Creeping.CreepFrame)), Creeping.CreepFrom.Y))),
        ],
        Occluders = [new Occluder(Creeping.Bar, Occluder.Grey)],
    };

    /// <summary>
    /// 512×384, 80 frames at 10 fps, no occluder. Target 1, a red disc of radius 34, from (60, 100) at (+5, +1)
    /// px/frame; target 2, a blue square of half side 30, from (450, 290) at (−5, −0.5) px/frame; a static red
    /// disc of radius 34 at (430, 50). Both targets stay wholly inside the frame; the edge gap between target 1
    /// and the distractor is at least ~53 px (closest near frame 69) and between the two targets at least ~55 px.
    /// </summary>
    public static SceneSpec TwoTargets() => new()
    {
        Width = Two.Width,
        Height = Two.Height,
        FrameCount = Two.FrameCount,
        FramesPerSecond = Two.FramesPerSecond,
        Seed = Two.Seed,
        Objects =
        [
            new SceneObject(Two.DiscId, SceneShape.Disc, Red, Two.DiscRadius, new Trajectory(Two.DiscStart, Two.DiscVelocity)),
            new SceneObject(Two.SquareId, SceneShape.Square, Blue, Two.SquareHalfSide, new Trajectory(Two.SquareStart, Two.SquareVelocity)),
        ],
        Distractors = [new Distractor(SceneShape.Disc, Red, Two.DiscRadius, Two.DistractorAt)],
    };

    /// <summary>
    /// 512×384, 60 frames at 10 fps: two look-alike red discs of radius 34 pass each other. Target 1 moves right from
    /// (60, 166), target 2 left from (452, 217), both at 7 px/frame; their centres are closest (51 px apart, 1.5 radii)
    /// at frame 28, where target 2, drawn on top, hides about a seventh of target 1. From frame 25 to 31 the two shapes
    /// overlap; before and after they are apart. Why not closer: the union of two identical discs looks
    /// the same whichever is in front, so no tracker can know whom the overlap belongs to; splitting it is the best
    /// guess, and at 1.3 radii (a quarter hidden) even the ideal split leaves the one behind at IoU ≈ 0.86 before the
    /// model's 4-px mask grid (models/README.md has that measurement too).
    /// </summary>
    public static SceneSpec LookAlikesCrossing() => new()
    {
        Width = Crossing.Width,
        Height = Crossing.Height,
        FrameCount = Crossing.FrameCount,
        FramesPerSecond = Crossing.FramesPerSecond,
        Seed = Crossing.Seed,
        Objects =
        [
            new SceneObject(Crossing.FirstId, SceneShape.Disc, Red, Crossing.Radius, new Trajectory(Crossing.FirstStart, Crossing.FirstVelocity)),
            new SceneObject(Crossing.SecondId, SceneShape.Disc, Red, Crossing.Radius, new Trajectory(Crossing.SecondStart, Crossing.SecondVelocity)),
        ],
    };

    /// <summary>
    /// 512×384, 60 frames at 10 fps: two look-alike red discs of radius 34. Target 1 waits at (200, 150); target 2
    /// comes from (440, 150) and stops touching it (centres 68 px apart, edge to edge) at frame 20; from frame 30 to
    /// 59 both move together, side by side and touching, to (260, 250) and (328, 250).
    /// </summary>
    public static SceneSpec LookAlikesTouching() => new()
    {
        Width = Touching.Width,
        Height = Touching.Height,
        FrameCount = Touching.FrameCount,
        FramesPerSecond = Touching.FramesPerSecond,
        Seed = Touching.Seed,
        Objects =
        [
            new SceneObject(Touching.FirstId, SceneShape.Disc, Red, Touching.Radius, Trajectory.Through(
                new Waypoint(0, 200, 150), new Waypoint(Touching.MoveFrame, 200, 150), new Waypoint(Touching.FrameCount - 1, 260, 250))),
            new SceneObject(Touching.SecondId, SceneShape.Disc, Red, Touching.Radius, Trajectory.Through(
                new Waypoint(0, 440, 150), new Waypoint(Touching.ContactFrame, 268, 150), new Waypoint(Touching.MoveFrame, 268, 150),
                new Waypoint(Touching.FrameCount - 1, 328, 250))),
        ],
    };

    /// <summary>
    /// 512×384, 50 frames at 10 fps. Target 1, a red disc of radius 34, starts at (60, 140) and moves right at +7
    /// px/frame, whole in every frame. A static red disc of the same size sits at (300, 238), below its path: the edge gap
    /// is 30 px where the target passes over it (frames 32–36), so a search that reaches a little beyond the target's
    /// last mask takes in the look-alike. The scene for choosing among a multimask decoder's candidates.
    /// </summary>
    public static SceneSpec LookAlikePassing() => new()
    {
        Width = Passing.Width,
        Height = Passing.Height,
        FrameCount = Passing.FrameCount,
        FramesPerSecond = Passing.FramesPerSecond,
        Seed = Passing.Seed,
        Objects = [new SceneObject(Passing.TargetId, SceneShape.Disc, Red, Passing.Radius, new Trajectory(Passing.Start, Passing.Velocity))],
        Distractors = [new Distractor(SceneShape.Disc, Red, Passing.Radius, Passing.DistractorAt)],
    };

    /// <summary>
    /// 512×384, 80 frames at 10 fps; a grey bar covers x ∈ [360, 480). Target 1, a red disc of radius 34, moves right
    /// from (60, 140) at +7 px/frame to (417, 140) on frame 51, hides there behind the bar until frame 61, then comes back
    /// left to (291, 140) on frame 79: fully hidden on frames 48–64, at least half visible again from frame 70. Object 2,
    /// a same-coloured disc that is not to be tracked, enters from the right after a long run and passes 30 px (edge
    /// gap) below the target around frame 32 at −14 px/frame, and has left the frame on the left by frame 55. The scene
    /// for anchor memories: the look-alike is near the target only long before the target comes out again.
    /// </summary>
    public static SceneSpec LookAlikeThenHide() => new()
    {
        Width = ThenHide.Width,
        Height = ThenHide.Height,
        FrameCount = ThenHide.FrameCount,
        FramesPerSecond = ThenHide.FramesPerSecond,
        Seed = ThenHide.Seed,
        Objects =
        [
            new SceneObject(ThenHide.TargetId, SceneShape.Disc, Red, ThenHide.Radius, Trajectory.Through(
                new Waypoint(0, 60, 140), new Waypoint(51, 417, 140), new Waypoint(61, 417, 140), new Waypoint(79, 291, 140))),
            new SceneObject(ThenHide.LookAlikeId, SceneShape.Disc, Red, ThenHide.Radius, Trajectory.Through(
                new Waypoint(0, 732, 238), new Waypoint(60, -108, 238))),
        ],
        Occluders = [new Occluder(ThenHide.Bar, Occluder.Grey)],
    };

    /// <summary>The numbers of <see cref="LookAlikeThenHide"/>.</summary>
    public static class ThenHide
    {
        public const int Width = 512, Height = 384, FrameCount = 80, Seed = 7, TargetId = 1, LookAlikeId = 2;
        public const double FramesPerSecond = 10, Radius = 34;
        public static readonly SceneRect Bar = new(360, 0, 480, Height);
    }

    /// <summary>The numbers of <see cref="LookAlikePassing"/>.</summary>
    public static class Passing
    {
        public const int Width = 512, Height = 384, FrameCount = 50, Seed = 6, TargetId = 1;
        public const double FramesPerSecond = 10, Radius = 34;
        public static readonly ScenePoint Start = new(60, 140);
        public static readonly ScenePoint Velocity = new(7, 0);
        public static readonly ScenePoint DistractorAt = new(300, 238);
    }

    /// <summary>
    /// 512×384, 40 frames at 10 fps: 16 discs of radius 20 on a 4×4 grid (centres x = 60 + 110·i, y = 50 + 90·j),
    /// red and blue in a checkerboard, ids 1–16 row by row, all moving at (+2, +1) px/frame. Edges stay at least 50 px
    /// apart and inside the frame. The workload for cost per object count (tests/EdgeSam2.Benchmarks).
    /// </summary>
    public static SceneSpec Crowd()
    {
        var objects = new SceneObject[Crowds.Count];
        for (var k = 0; k < objects.Length; k++)
        {
            var (i, j) = (k % 4, k / 4);
            var start = new ScenePoint(60 + (110 * i), 50 + (90 * j));
            objects[k] = new SceneObject(k + 1, SceneShape.Disc, (i + j) % 2 == 0 ? Red : Blue, Crowds.Radius, new Trajectory(start, Crowds.Velocity));
        }

        return new SceneSpec
        {
            Width = Crowds.Width,
            Height = Crowds.Height,
            FrameCount = Crowds.FrameCount,
            FramesPerSecond = Crowds.FramesPerSecond,
            Seed = Crowds.Seed,
            Objects = objects,
        };
    }

    /// <summary>The numbers of <see cref="Crowd"/>.</summary>
    public static class Crowds
    {
        public const int Width = 512, Height = 384, FrameCount = 40, Seed = 5, Count = 16;
        public const double FramesPerSecond = 10, Radius = 20;
        public static readonly ScenePoint Velocity = new(2, 1);
    }

    /// <summary>The numbers of <see cref="LookAlikesCrossing"/>.</summary>
    public static class Crossing
    {
        public const int Width = 512, Height = 384, FrameCount = 60, Seed = 3;
        public const double FramesPerSecond = 10;
        public const int FirstId = 1, SecondId = 2;
        public const double Radius = 34;
        public static readonly ScenePoint FirstStart = new(60, 166);
        public static readonly ScenePoint FirstVelocity = new(7, 0);
        public static readonly ScenePoint SecondStart = new(452, 217);
        public static readonly ScenePoint SecondVelocity = new(-7, 0);
    }

    /// <summary>The numbers of <see cref="LookAlikesTouching"/>.</summary>
    public static class Touching
    {
        public const int Width = 512, Height = 384, FrameCount = 60, Seed = 4;
        public const double FramesPerSecond = 10;
        public const int FirstId = 1, SecondId = 2;
        public const double Radius = 34;
        public const int ContactFrame = 20, MoveFrame = 30;
    }

    /// <summary>The numbers of <see cref="OccludedTarget"/>.</summary>
    public static class Occluded
    {
        public const int Width = 512, Height = 384, FrameCount = 60, Seed = 1;
        public const double FramesPerSecond = 10;
        public const int TargetId = 1;
        public const double Radius = 36;
        public static readonly ScenePoint Start = new(70, 110);
        public static readonly ScenePoint Velocity = new(7, 0);
        public static readonly ScenePoint DistractorAt = new(80, 320);
        public static readonly SceneRect Bar = new(220, 0, 310, Height);

        /// <summary>First and last frame (inclusive) in which no pixel of the target is visible.</summary>
        public const int FirstHiddenFrame = 27, LastHiddenFrame = 29;
    }

    /// <summary>The numbers of <see cref="SlowBar"/> (GridScene's with one object, 150 frames at 25 fps).</summary>
    public static class Slow
    {
        public const int Width = 512, Height = 384, FrameCount = 150, Seed = 12;
        public const double FramesPerSecond = 25;
        public const int TargetId = 1;
        public const double Radius = 36;
        public static readonly ScenePoint Start = new(40, 192);
        public static readonly ScenePoint Velocity = new(432.0 / 149, 0);
        public static readonly SceneRect Bar = new(216, 0, 296, Height);
    }

    /// <summary>The numbers of <see cref="CreepingBar"/> (GridScene's with one object at 3000 frames, brought near the bar first).</summary>
    public static class Creeping
    {
        public const int Width = 512, Height = 384, FrameCount = 860, Seed = 12;
        public const double FramesPerSecond = 25;
        public const int TargetId = 1;
        public const double Radius = 36;

        /// <summary>The bench's speed at 3000 frames (px/frame), from <see cref="CreepFrame"/> on.</summary>
        public const double Speed = 432.0 / 2999;
        public const int CreepFrame = 20;
        public static readonly ScenePoint Start = new(40, 192);
        public static readonly ScenePoint CreepFrom = new(176, 192);
        public static readonly SceneRect Bar = new(218, 0, 293, Height);
    }

    /// <summary>The numbers of <see cref="TwoTargets"/>.</summary>
    public static class Two
    {
        public const int Width = 512, Height = 384, FrameCount = 80, Seed = 2;
        public const double FramesPerSecond = 10;
        public const int DiscId = 1, SquareId = 2;
        public const double DiscRadius = 34, SquareHalfSide = 30;
        public static readonly ScenePoint DiscStart = new(60, 100);
        public static readonly ScenePoint DiscVelocity = new(5, 1);
        public static readonly ScenePoint SquareStart = new(450, 290);
        public static readonly ScenePoint SquareVelocity = new(-5, -0.5);
        public static readonly ScenePoint DistractorAt = new(430, 50);
    }
}
