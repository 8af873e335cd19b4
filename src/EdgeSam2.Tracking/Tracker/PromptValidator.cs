using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>Checks a prompt against the frame it applies to; returns every problem as a value, never throws.</summary>
internal static class PromptValidator
{
    public readonly record struct Problem(string Field, string Message);

    public static Problem? Validate(ObjectPrompt prompt, int width, int height, int maxPoints)
    {
        if (prompt.ObjectId is <= 0)
        {
            return new Problem("object_id", $"object ids are positive integers, got {prompt.ObjectId}");
        }

        if (prompt.Mask is { } mask)
        {
            return ValidateMask(prompt, mask, width, height);
        }

        if (prompt.Points.Count > maxPoints)
        {
            return new Problem("points", $"{prompt.Points.Count} points given; at most {maxPoints} are accepted");
        }

        var positives = 0;
        for (var i = 0; i < prompt.Points.Count; i++)
        {
            var p = prompt.Points[i];
            if (!Inside(p.X, p.Y, width, height))
            {
                return new Problem($"points[{i}]", $"point ({p.X}, {p.Y}) lies outside the {width}×{height} frame");
            }

            positives += p.Positive ? 1 : 0;
        }

        if (prompt.Box is { } box)
        {
            if (!Inside(box.X1, box.Y1, width, height) || !Inside(box.X2, box.Y2, width, height))
            {
                return new Problem("box", $"box ({box.X1}, {box.Y1}, {box.X2}, {box.Y2}) lies outside the {width}×{height} frame");
            }

            if (box.X2 <= box.X1 || box.Y2 <= box.Y1)
            {
                return new Problem("box", $"box ({box.X1}, {box.Y1}, {box.X2}, {box.Y2}) is empty: x2 must exceed x1 and y2 exceed y1");
            }
        }
        else if (positives == 0)
        {
            return new Problem("points", "a prompt needs at least one positive point (label 1) or a box");
        }

        return null;
    }

    private static Problem? ValidateMask(ObjectPrompt prompt, PromptMask mask, int width, int height)
    {
        if (prompt.Points.Count > 0 || prompt.Box is not null)
        {
            // SAM 2's add_new_mask takes the mask alone; a click on top of it is a correction of that frame's output.
            return new Problem("mask", "a mask prompt cannot be combined with points or a box; send the mask alone");
        }

        if (mask.Width != width || mask.Height != height)
        {
            return new Problem("mask", $"the mask is {mask.Width}×{mask.Height}; it must be the frame's size, {width}×{height}");
        }

        // Checked on the counts, so a refused mask never costs a decode into the tracker's buffer.
        var measured = CocoRle.Measure(mask.Counts, width, height, out var foreground);
        if (!measured.Success)
        {
            return new Problem("mask", $"mask.counts is not a valid COCO RLE of a {width}×{height} mask: {measured.Error}");
        }

        return foreground == 0 ? new Problem("mask", "the mask is empty: it sets no pixel") : null;
    }

    private static bool Inside(float x, float y, int width, int height) =>
        float.IsFinite(x) && float.IsFinite(y) && x >= 0 && y >= 0 && x <= width && y <= height;
}
